"""seed_demo's workspace step: progress, actions, shared practices and teams for demo signatories.

Only organisations created by this run are filled, so running the command again adds nothing.
Everything is derived from the organisation's id (no random draws), and written with a few
UPDATEs and bulk INSERTs per thousand organisations, so 10,000 organisations take seconds.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from charter.models import Pledge
from pledges.models import PledgeAction, PledgeCommitment, Practice, PracticeStatus
from signatories.models import Invitation, Organisation

BATCH = 1000

SUMMARIES = {
    "in_progress": {
        "plan": "Two thirds of our tech shortlists now include at least one woman.",
        "policies": "Flexible working and a returners policy are agreed; rollout is under way.",
        "practice": "We have joined two signatory working groups and shared one practice.",
    },
    "embedded": {
        "plan": "Every tech shortlist has included a woman for the last four quarters.",
        "policies": "Our progression policy is reviewed yearly with our employee networks.",
        "practice": "We host a quarterly meet-up for signatories in our region.",
    },
}
ACTIONS = {
    "plan": [
        ("Rewrite job adverts with a gender decoder", "Head of Talent"),
        ("Add a diverse interview panel to every senior hire", "CTO"),
    ],
    "policies": [
        ("Publish a flexible working policy for engineering", "People Director"),
        ("Run a pay gap review of technical roles", "Head of Reward"),
    ],
    "practice": [("Present our returners programme to other signatories", "Engineering Manager")],
}
PRACTICES = [
    (
        "A paid returners programme for engineers",
        "Sixteen-week paid placements for people returning to tech after a career break.",
        "We ran **two cohorts** of eight returners.\n\n- mentors from the team\n- a "
        "guaranteed interview at the end\n\nFourteen of sixteen stayed with us.",
        ["retention", "recruitment"],
    ),
    (
        "Structured interviews with published criteria",
        "Every candidate answers the same questions, scored against criteria shared in advance.",
        "We publish the criteria in the advert. Panels score separately before they talk.",
        ["recruitment"],
    ),
    (
        "Code clubs in local secondary schools",
        "Engineers volunteer an hour a week to run code clubs for girls aged 11 to 14.",
        "Twelve engineers, four schools, ninety pupils a year.",
        ["education"],
    ),
]


def _batches(values: list) -> list[list]:
    return [values[start : start + BATCH] for start in range(0, len(values), BATCH)]


def seed_workspaces(seeding) -> None:
    ids = sorted(seeding.organisation_ids[slug] for slug in seeding.created_organisation_slugs)
    pledge_ids = dict(Pledge.objects.values_list("code", "pk"))
    now = timezone.now()
    today = timezone.localdate()
    actions = practices = 0
    for batch in _batches(ids):
        # A third not started, a third in progress, a third embedded: one UPDATE per batch.
        progressing = {
            status: [pk for pk in batch if pk % 3 == remainder]
            for remainder, status in ((1, "in_progress"), (2, "embedded"))
        }
        PledgeCommitment.objects.filter(
            organisation_id__in=[pk for pk in batch if pk % 3],
            pledge_id__in=[pledge_ids[code] for code in ACTIONS],
        ).update(
            progress_status=Case(
                *(
                    When(organisation_id__in=chosen, then=Value(status))
                    for status, chosen in progressing.items()
                ),
                default=Value("not_started"),
            ),
            progress_summary=Case(
                *(
                    When(
                        organisation_id__in=progressing[status],
                        pledge_id=pledge_ids[code],
                        then=Value(summary),
                    )
                    for status, summaries in SUMMARIES.items()
                    for code, summary in summaries.items()
                ),
                default=Value(""),
            ),
            reviewed_at=now,
        )
        commitments = PledgeCommitment.objects.filter(
            organisation_id__in=[pk for pk in batch if pk % 3],
            pledge_id__in=[pledge_ids[code] for code in ACTIONS],
        ).values_list("pk", "organisation_id", "pledge_id")
        code_of = {pk: code for code, pk in pledge_ids.items()}
        rows = [
            PledgeAction(
                commitment_id=commitment_id,
                description=description,
                owner=owner,
                # Some due next quarter, some already late, some done.
                due_on=today + dt.timedelta(days=90 - (organisation_id + index) % 5 * 40),
                done_at=now if (organisation_id + index) % 4 == 0 else None,
            )
            for commitment_id, organisation_id, pledge_id in commitments
            for index, (description, owner) in enumerate(ACTIONS[code_of[pledge_id]])
        ]
        PledgeAction.objects.bulk_create(rows, batch_size=BATCH)
        actions += len(rows)
        practice_rows = []
        for pk in (pk for pk in batch if pk % 10 == 0):
            title, summary, body, topics = PRACTICES[pk // 10 % len(PRACTICES)]
            published = pk % 30 != 0
            practice_rows.append(
                Practice(
                    organisation_id=pk,
                    title=title,
                    summary=summary,
                    body=body,
                    topics=topics,
                    anonymous=pk % 20 == 0,
                    status=PracticeStatus.PUBLISHED if published else PracticeStatus.SUBMITTED,
                    is_public=published and pk % 50 == 0,
                    submitted_at=now,
                    published_at=now if published else None,
                )
            )
        Practice.objects.bulk_create(practice_rows, batch_size=BATCH)
        practices += len(practice_rows)
        # Every organisation gets a data contact at its own .example domain.
        Organisation.objects.filter(pk__in=batch).update(
            data_contact_name="Data Protection Lead",
            data_contact_email=Concat(Value("data@"), F("website_domain")),
        )
    seeding.record("pledge actions", actions)
    seeding.record("shared practices", practices)
    _seed_teams(seeding)


def _seed_teams(seeding) -> None:
    """Open invitations (an editor and an admin) in the teams of the demo admins' organisations.

    No extra logins are created: the demo logins are the ones ``signatories.demo`` lists.
    """
    ids = [
        seeding.organisation_ids[account.organisation_slug]
        for account in seeding.accounts
        if account.organisation_slug in seeding.created_organisation_slugs
    ]
    domains = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "website_domain"))
    rows = [
        Invitation(organisation_id=pk, email=f"{local}@{domain}", role=role)
        for pk, domain in domains.items()
        for local, role in (("new.colleague", "editor"), ("people.director", "admin"))
    ]
    Invitation.objects.bulk_create(rows)
    seeding.record("team invitations", len(rows))
