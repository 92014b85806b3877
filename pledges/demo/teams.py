"""seed_demo's team step for the demo workspaces: who is in each organisation's team.

Some organisations created by this run get editors (and an admin where there is no demo admin),
so teams have two to four members; one login belongs to two organisations; the demo admins'
teams get open invitations. Names come from one random stream per seed, in generation order,
so the same seed always gives the same people. Everyone can log in with the demo password.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from signatories.choices import MemberRole, OrganisationStatus
from signatories.demo import organisations as demo
from signatories.demo.constants import DEMO_PASSWORD
from signatories.demo.timestamps import backdate
from signatories.models import Invitation, Membership, Organisation

BATCH = 1000
# How long ago the demo teams were formed (kept after each organisation's approval): before
# the edits, actions and reviews ``pledges.demo`` dates after it.
TEAM_JOINED_DAYS_AGO = 40
# About one organisation in ten has a team beyond its admin; the demo admins' always do.
TEAM_SHARE = 0.1
# The demo login who belongs to two organisations, to show switching between them.
TWO_ORGANISATIONS_EMAIL = "consultant@demo.example"


@dataclass
class Teams:
    """The members of each organisation this run filled, admin first (organisation id -> user
    ids). Organisations without anyone are absent."""

    members: dict[int, list[int]] = field(default_factory=dict)

    def admin(self, organisation_id: int) -> int | None:
        return self.members.get(organisation_id, [None])[0]

    def reviewer(self, organisation_id: int) -> int | None:
        """An editor where there is one: editors review pledges as much as admins do."""
        members = self.members.get(organisation_id, [None])
        return members[-1]


class PasswordHash:
    """The demo password, hashed once per run and only if someone needs it: hashing is
    deliberately slow (hundreds of milliseconds)."""

    def __init__(self) -> None:
        self._hash = ""

    def __call__(self) -> str:
        if not self._hash:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def batches(values: list) -> list[list]:
    return [values[start : start + BATCH] for start in range(0, len(values), BATCH)]


def _email_local(full_name: str) -> str:
    first, _, last = full_name.partition(" ")
    return f"{demo.ascii_letters(first)}.{demo.ascii_letters(last)}"


def seed_teams(seeding, password: PasswordHash) -> Teams:
    """Editors (and, where there is no demo admin, an admin) for some organisations created by
    this run, so teams have two to four members. All can log in with the demo password."""
    User = get_user_model()
    rng = random.Random(f"teams-{seeding.seed}")
    admins = {
        seeding.organisation_ids[account.organisation_slug]: account.email
        for account in seeding.accounts
        if account.organisation_slug in seeding.created_organisation_slugs
        and account.role == MemberRole.ADMIN
    }
    admin_ids = dict(
        Membership.objects.filter(organisation_id__in=list(admins), role=MemberRole.ADMIN)
        .order_by("user_id")
        .values_list("organisation_id", "user_id")
    )
    # (organisation id, email, full name, role), in generation order: the same seed and
    # organisations always give the same people.
    planned: list[tuple[int, str, str, str]] = []
    for organisation in seeding.organisations:
        if organisation.slug not in seeding.created_organisation_slugs:
            continue
        if organisation.status == OrganisationStatus.WITHDRAWN:
            continue
        organisation_id = seeding.organisation_ids[organisation.slug]
        has_demo_admin = organisation_id in admins
        if not has_demo_admin and rng.random() >= TEAM_SHARE:
            continue
        # Two to four members with the admin. The demo admins' teams stop at three: the login
        # of two organisations joins two of them.
        size = rng.randint(2, 3 if has_demo_admin else 4)
        roles = ([] if has_demo_admin else [MemberRole.ADMIN]) + [MemberRole.EDITOR] * (size - 1)
        taken: set[str] = set()
        for role in roles:
            full_name = demo.person_name(rng)
            local = _email_local(full_name)
            while local in taken:
                local += str(len(taken))
            taken.add(local)
            email = f"{local}@{organisation.website_domain}"
            planned.append((organisation_id, email, full_name, str(role)))
    existing: set[str] = set()
    for emails in batches([email for _, email, _, _ in planned]):
        existing.update(User.objects.filter(email__in=emails).values_list("email", flat=True))
    planned = [row for row in planned if row[1] not in existing]
    # Hashing is deliberately slow: hash the shared password once for every member.
    joined = [
        seeding.moment(organisation_id, days_ago=TEAM_JOINED_DAYS_AGO)
        for organisation_id, _, _, _ in planned
    ]
    users = [
        User(email=email, full_name=full_name, password=password(), date_joined=joined_at)
        for (_, email, full_name, _), joined_at in zip(planned, joined, strict=True)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    if any(user.pk is None for user in users):  # databases that do not return new ids
        ids = {}
        for emails in batches([user.email for user in users]):
            ids.update(User.objects.filter(email__in=emails).values_list("email", "pk"))
        for user in users:
            user.pk = ids[user.email]
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=BATCH,
    )
    memberships = [
        Membership(organisation_id=organisation_id, user=user, role=role)
        for (organisation_id, _, _, role), user in zip(planned, users, strict=True)
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    # created_at is auto_now_add: the INSERT wrote now; they joined when they signed up.
    for membership, joined_at in zip(memberships, joined, strict=True):
        membership.created_at = joined_at
    backdate(Membership, "created_at", {m.pk: m.created_at for m in memberships if m.pk})
    teams = Teams()
    for organisation_id, user_id in admin_ids.items():
        teams.members[organisation_id] = [user_id]
    for (organisation_id, _, _, _), user in zip(planned, users, strict=True):
        teams.members.setdefault(organisation_id, []).append(user.pk)
    seeding.created_user_emails.update(user.email for user in users)
    seeding.record("team members", len(users))
    return teams


def seed_two_organisation_login(seeding, password: PasswordHash) -> None:
    """One login in two organisations: editor of the first demo admin's, admin of the second's.

    Created with its memberships only if the login does not exist yet; an existing user is left
    exactly as it is, as ``seed_accounts`` does.
    """
    slugs = [
        account.organisation_slug
        for account in seeding.accounts
        if account.organisation_slug in seeding.organisation_ids
        and account.role == MemberRole.ADMIN
    ][:2]
    if len(slugs) < 2:
        return
    names = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "public_name"))
    full_name = demo.person_name(random.Random(f"two-organisations-{seeding.seed}"))
    seeding.accounts.append(
        demo.DemoAccount(
            email=TWO_ORGANISATIONS_EMAIL,
            full_name=full_name,
            organisation_slug=slugs[0],
            role=MemberRole.EDITOR.value,
            description=f"editor of {names[slugs[0]]} and admin of {names[slugs[1]]} "
            "(switches between them)",
        )
    )
    User = get_user_model()
    if User.objects.filter(email=TWO_ORGANISATIONS_EMAIL).exists():
        return
    user = User.objects.create(
        email=TWO_ORGANISATIONS_EMAIL, full_name=full_name, password=password()
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.bulk_create(
        [
            Membership(organisation_id=seeding.organisation_ids[slug], user=user, role=role)
            for slug, role in zip(slugs, (MemberRole.EDITOR, MemberRole.ADMIN), strict=True)
        ]
    )
    seeding.created_user_emails.add(user.email)
    seeding.record("two-organisation logins", 1)


def list_team_logins(seeding) -> None:
    """Add one editor of each demo admin's organisation to the logins the command prints."""
    admin_accounts = [
        account
        for account in seeding.accounts
        if account.organisation_slug in seeding.organisation_ids
        and account.role == MemberRole.ADMIN
    ]
    ids = [seeding.organisation_ids[account.organisation_slug] for account in admin_accounts]
    editors: dict[int, tuple[str, str]] = {}
    for organisation_id, email, full_name in (
        Membership.objects.filter(organisation_id__in=ids, role=MemberRole.EDITOR)
        .exclude(user__email=TWO_ORGANISATIONS_EMAIL)
        .order_by("user_id")
        .values_list("organisation_id", "user__email", "user__full_name")
    ):
        editors.setdefault(organisation_id, (email, full_name))
    for account, organisation_id in zip(admin_accounts, ids, strict=True):
        if organisation_id not in editors:
            continue
        email, full_name = editors[organisation_id]
        name = account.description.removeprefix("admin of ")
        seeding.accounts.append(
            demo.DemoAccount(
                email=email,
                full_name=full_name,
                organisation_slug=account.organisation_slug,
                role=MemberRole.EDITOR.value,
                description=f"editor of {name} (edits pledges, not the team or profile)",
            )
        )


def seed_invitations(seeding) -> None:
    """Open invitations (an editor and an admin) in the teams of the demo admins' organisations."""
    ids = [
        seeding.organisation_ids[account.organisation_slug]
        for account in seeding.accounts
        if account.organisation_slug in seeding.created_organisation_slugs
        and account.role == MemberRole.ADMIN
    ]
    domains = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "website_domain"))
    rows = [
        Invitation(organisation_id=pk, email=f"{local}@{domain}", role=role)
        for pk, domain in domains.items()
        for local, role in (("new.colleague", "editor"), ("people.director", "admin"))
    ]
    Invitation.objects.bulk_create(rows)
    seeding.record("team invitations", len(rows))
