"""``python manage.py seed_demo``: fictional demo signatories and logins, safe to run again.

The data comes from ``signatories.demo.organisations`` (pure and deterministic); this command only
writes it, as a list of steps run in order inside one transaction. Later features add their own
step to ``STEPS`` (applications, pledges, data submissions), each creating only what is missing.
The steps of other apps live in their ``demo`` packages, which never import this command.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator, Sequence

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from charter.permissions import CHARTER_STAFF_GROUP
from pledges.demo.returns import seed_returns
from pledges.demo.workspaces import seed_workspaces
from signatories.demo import applications as demo_applications
from signatories.demo import organisations as demo
from signatories.demo.constants import DEMO_PASSWORD
from signatories.demo.seeding import Seeding
from signatories.demo.timestamps import backdate
from signatories.models import (
    Membership,
    Organisation,
    Representative,
    SignatoryNumberSequence,
)

DEFAULT_ORGANISATIONS = 300
# Ten times the directory's performance budget (DESIGN.md §7); more is a typo, not a demo.
MAX_ORGANISATIONS = 100_000
BATCH_SIZE = 1000


def in_batches(values: Sequence, size: int = BATCH_SIZE) -> Iterator[Sequence]:
    """Slices of ``values``, so an ``__in`` lookup stays under SQLite's variable limit."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def seed_organisations(seeding: Seeding) -> None:
    """Create the planned organisations whose slug is free, numbered after every existing one."""
    # Lock the sequence row as approval does, so an approval running now waits for the seed
    # instead of giving out a number the seed is about to use.
    seeding.sequence, _ = SignatoryNumberSequence.objects.select_for_update().get_or_create(id=1)
    planned = {organisation.slug: organisation for organisation in seeding.organisations}

    existing: dict[str, tuple[int, str]] = {}
    for slugs in in_batches(list(planned)):
        for slug, pk, domain in Organisation.objects.filter(slug__in=slugs).values_list(
            "slug", "id", "website_domain"
        ):
            existing[slug] = (pk, domain)
    for slug, (pk, domain) in existing.items():
        # Ours only if it has our .example website: a real organisation that happens to have
        # the slug is left alone, and gets no demo members.
        if domain == planned[slug].website_domain:
            seeding.organisation_ids[slug] = pk
    if len(existing) > len(seeding.organisation_ids):
        seeding.notes.append(
            f"{len(existing) - len(seeding.organisation_ids)} demo organisations skipped: "
            "their slugs belong to other organisations."
        )

    missing = sorted(
        (organisation for slug, organisation in planned.items() if slug not in existing),
        key=lambda organisation: organisation.signatory_number,
    )
    # On an empty database this gives 1..N in signing-date order, the generator's numbering.
    # Otherwise demo organisations follow whatever is there, so numbers never collide.
    highest = Organisation.objects.aggregate(highest=Max("signatory_number"))["highest"] or 0
    first_number = max(highest, seeding.sequence.last_number) + 1
    rows = [
        Organisation(
            legal_name=organisation.legal_name,
            public_name=organisation.public_name,
            slug=organisation.slug,
            website=organisation.website,
            website_domain=organisation.website_domain,
            companies_house_number=organisation.companies_house_number,
            organisation_type=organisation.organisation_type,
            sector=organisation.sector,
            size_band=organisation.size_band,
            region=organisation.region,
            description=organisation.description,
            status=organisation.status,
            signatory_number=number,
            signed_on=organisation.signed_on,
            withdrawn_on=organisation.withdrawn_on,
        )
        for number, organisation in enumerate(missing, start=first_number)
    ]
    Organisation.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    # PostgreSQL and SQLite ≥ 3.35 return the new ids from the INSERT; fetch them otherwise.
    if any(row.pk is None for row in rows):
        for slugs in in_batches([row.slug for row in rows]):
            for row_slug, pk in Organisation.objects.filter(slug__in=slugs).values_list(
                "slug", "id"
            ):
                seeding.organisation_ids[row_slug] = pk
    else:
        seeding.organisation_ids.update({row.slug: row.pk for row in rows})
    seeding.created_organisation_slugs = {row.slug for row in rows}
    # created_at is auto_now_add, so INSERT wrote now: tell the story instead, the moment staff
    # approved the organisation (on its signing date), as approval itself records it.
    now = timezone.now()
    for row in rows:
        row.pk = seeding.organisation_ids[row.slug]
        row.created_at = demo.approval_time(row.signed_on, now=now)
        last = now
        if row.withdrawn_on is not None:
            last = min(now, dt.datetime.combine(row.withdrawn_on, dt.time(9), tzinfo=demo.UK_TIME))
        seeding.timeline[row.pk] = (row.created_at, max(row.created_at, last))
    backdate(Organisation, "created_at", {row.pk: row.created_at for row in rows})
    seeding.record("organisations", len(rows), found=len(existing))


def seed_representatives(seeding: Seeding) -> None:
    """A current senior representative for each organisation created by this run."""
    rows = [
        Representative(
            organisation_id=seeding.organisation_ids[organisation.slug],
            full_name=organisation.representative.full_name,
            job_title=organisation.representative.job_title,
            email=organisation.representative.email,
            consent_to_be_named=organisation.representative.consent_to_be_named,
            named_at=organisation.representative.named_at,
            confirmed_at=organisation.representative.confirmed_at,
        )
        for organisation in seeding.organisations
        if organisation.slug in seeding.created_organisation_slugs
    ]
    Representative.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    seeding.record("representatives", len(rows))


def seed_accounts(seeding: Seeding) -> None:
    """The demo logins that do not exist yet, each with a verified primary email address so it
    can log in (verification is mandatory), staff in the "Charter staff" group, organisation
    admins as admin members. Existing users are left exactly as they are."""
    User = get_user_model()
    wanted = [
        account
        for account in seeding.accounts
        if not account.organisation_slug or account.organisation_slug in seeding.organisation_ids
    ]
    existing = set(
        User.objects.filter(email__in=[account.email for account in wanted]).values_list(
            "email", flat=True
        )
    )
    missing = [account for account in wanted if account.email not in existing]
    # Hashing is deliberately slow (hundreds of milliseconds): hash the shared password once.
    password_hash = make_password(DEMO_PASSWORD) if missing else ""
    User.objects.bulk_create(
        [
            User(
                email=account.email,
                full_name=account.full_name,
                password=password_hash,
                is_staff=account.is_staff,
                is_superuser=account.is_superuser,
                date_joined=_joined(seeding, account),
            )
            for account in missing
        ],
        batch_size=BATCH_SIZE,
    )
    users = {
        user.email: user
        for user in User.objects.filter(email__in=[account.email for account in missing])
    }
    seeding.created_user_emails = set(users)

    EmailAddress.objects.bulk_create(
        [
            EmailAddress(
                user=users[account.email], email=account.email, verified=True, primary=True
            )
            for account in missing
        ],
        batch_size=BATCH_SIZE,
    )
    staff = [users[account.email] for account in missing if account.is_staff]
    if staff:
        group, _ = Group.objects.get_or_create(name=CHARTER_STAFF_GROUP)
        group.user_set.add(*staff)
        # Staff pages ask for a second factor: the demo staff login gets an authenticator app
        # with the published secret, so that it works from the first log-in.
        for user in staff:
            TOTP.activate(user, demo.STAFF_TOTP_SECRET)
    memberships = [
        Membership(
            organisation_id=seeding.organisation_ids[account.organisation_slug],
            user=users[account.email],
            role=account.role,
        )
        for account in missing
        if account.organisation_slug
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    # The applicant became the admin when staff approved the organisation (created_at is
    # auto_now_add: set after the INSERT). An organisation found, not created, has no timeline.
    dated = [m for m in memberships if m.pk and m.organisation_id in seeding.timeline]
    for membership in dated:
        membership.created_at = seeding.timeline[membership.organisation_id][0]
    Membership.objects.bulk_update(dated, ["created_at"], batch_size=BATCH_SIZE)
    seeding.record("users", len(missing), found=len(existing))
    seeding.record("verified email addresses", len(missing))
    seeding.record("authenticator apps", len(staff))
    seeding.record("memberships", len(memberships))


def _joined(seeding: Seeding, account: demo.DemoAccount) -> dt.datetime:
    """When a demo login signed up: staff before the first approval; an admin before starting
    the application that made them admin (see ``demo_applications``)."""
    now = timezone.now()
    organisation_id = seeding.organisation_ids.get(account.organisation_slug)
    if organisation_id in seeding.timeline:
        return seeding.timeline[organisation_id][0] - demo_applications.APPLYING_TIME
    return min(now, dt.datetime.combine(demo.CHARTER_START, dt.time(9), tzinfo=demo.UK_TIME))


def seed_signatory_sequence(seeding: Seeding) -> None:
    """Move the sequence to the highest number in use, so the next approval continues it."""
    sequence = seeding.sequence
    assert sequence is not None, "seed_organisations runs first and locks the sequence"
    highest = Organisation.objects.aggregate(highest=Max("signatory_number"))["highest"] or 0
    if highest > sequence.last_number:
        sequence.last_number = highest
        sequence.save(update_fields=["last_number"])
    seeding.counts["signatory sequence"] = f"last number {sequence.last_number}"


# Run in this order, in one transaction. Add later steps (applications, pledges, submissions)
# at the end; each must create only what is missing, so the command stays safe to run twice.
STEPS: list[Callable[[Seeding], None]] = [
    seed_organisations,
    seed_representatives,
    seed_accounts,
    seed_signatory_sequence,
    demo_applications.seed_commitments,
    demo_applications.seed_applications,
    seed_workspaces,
    # After the workspaces: a return names the team member who submitted it.
    seed_returns,
]


class Command(BaseCommand):
    help = (
        "Fills the database with fictional demo data for development and demos. Creates "
        "--organisations signatory organisations (default 300) with plausible names, types, "
        "sectors, sizes, regions and descriptions, signing dates from 2017 to today (more in "
        "recent years), about 1% suspended and 3% withdrawn, signatory numbers in signing-date "
        "order continuing after any existing ones, and a senior representative each; moves the "
        "signatory number sequence to the highest number. Also creates the logins "
        f"{demo.STAFF_EMAIL} (charter staff and superuser, with an authenticator app whose "
        f"secret {demo.STAFF_TOTP_SECRET} it prints) and admin@<slug>.example for the "
        "first three active organisations; teams of two to four members (editors, and admins "
        "where there is no demo admin) for about one organisation in ten, and "
        "consultant@demo.example, a member of two organisations; all with the password "
        f'"{DEMO_PASSWORD}" and a verified email address. Fills the workspaces: pledge progress '
        "with evidence notes and links, actions, history entries naming the team member who "
        "edited or reviewed, and shared practices in every review state (draft, submitted, "
        "returned, published). Runs the data collection: five yearly reporting cycles, four "
        "closed and the current one open (opened three weeks ago, closing in five weeks), with "
        "returns whose figures look real and pass the return's rules, on time, late (after a "
        "staff reopen), amended, missing, exempt, with warnings in the outlier queue, and the "
        "open year partly submitted, in draft and not started. The same --seed always "
        "generates the same data. Only what is missing is created, so running it again with "
        "the same arguments creates nothing and existing users are never changed. "
        "--organisations 0 creates only the staff login. Websites use the reserved .example "
        "domain. Do not run it on a production database: "
        "the logins' password is published."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisations",
            type=int,
            default=DEFAULT_ORGANISATIONS,
            help=f"how many organisations, 0 to {MAX_ORGANISATIONS:,} "
            f"(default {DEFAULT_ORGANISATIONS})",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed: same seed, same data (default 1)"
        )

    def handle(self, *args, organisations: int, seed: int, **options) -> None:
        if organisations < 0:
            raise CommandError(f"--organisations must be 0 or more, not {organisations}.")
        if organisations > MAX_ORGANISATIONS:
            raise CommandError(
                f"--organisations {organisations:,} is too many: the most is {MAX_ORGANISATIONS:,}."
            )
        started = time.perf_counter()
        planned = demo.organisations(
            random.Random(seed), count=organisations, today=timezone.localdate()
        )
        # A stream of its own, so the admins' names do not change with the organisation count.
        accounts = demo.accounts(random.Random(f"accounts-{seed}"), organisations=planned)
        seeding = Seeding(organisations=planned, accounts=accounts, seed=seed)
        with transaction.atomic():
            for step in STEPS:
                step(seeding)
        elapsed = time.perf_counter() - started
        self.report(seeding, seed=seed, elapsed=elapsed)

    def report(self, seeding: Seeding, *, seed: int, elapsed: float) -> None:
        if seeding.created_anything:
            self.stdout.write(
                self.style.SUCCESS(f"Seeded demo data (seed {seed}) in {elapsed:.1f} s:")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data for seed {seed} is already in place: nothing created "
                    f"({elapsed:.1f} s)."
                )
            )
        width = max(len(what) for what in seeding.counts)
        for what, count in seeding.counts.items():
            self.stdout.write(f"  {what:<{width}}  {count}")
        for note in seeding.notes:
            self.stdout.write(self.style.WARNING(note))
        logins = [
            account
            for account in seeding.accounts
            if not account.organisation_slug
            or account.organisation_slug in seeding.organisation_ids
        ]
        self.stdout.write(f'Demo logins (password "{DEMO_PASSWORD}"):')
        width = max(len(account.email) for account in logins)
        for account in logins:
            self.stdout.write(f"  {account.email:<{width}}  {account.description}")
            if account.is_staff:
                self.stdout.write(
                    f"  {'':<{width}}  authenticator app secret {demo.STAFF_TOTP_SECRET} "
                    "(add it to an authenticator app: staff pages ask for its code)"
                )
        if any(account.email not in seeding.created_user_emails for account in logins):
            self.stdout.write("  (logins that existed before this run were left unchanged)")
