"""seed_demo's workspace step: teams, progress, evidence, actions, history and shared practices.

Only organisations created by this run are filled, so running the command again adds nothing.
Everything is derived from the seed and the organisations' ids (no draws that depend on the
clock), and written with a few UPDATEs and bulk INSERTs per thousand organisations, so 10,000
organisations take seconds.

Who did what is consistent: each history entry, review and practice names a member of the
organisation's team (or the demo staff login for staff reviews), and a commitment's version is
one more than the number of edits in its history, as ``pledges.services.commitments`` keeps it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from charter.models import Pledge
from pledges.demo.teams import (
    BATCH,
    PasswordHash,
    Teams,
    batches,
    list_team_logins,
    seed_invitations,
    seed_teams,
    seed_two_organisation_login,
)
from pledges.demo.words import (
    ACTIONS,
    EVIDENCE_NOTES,
    EVIDENCE_PATHS,
    PRACTICES,
    RETURN_COMMENTS,
    SUMMARIES,
)
from pledges.models import (
    CommitmentChange,
    CommitmentChangeKind,
    PledgeAction,
    PledgeCommitment,
    Practice,
    PracticeStatus,
    ProgressStatus,
)
from signatories.demo import organisations as demo
from signatories.demo.timestamps import backdate
from signatories.models import Organisation

# Seeding.moment: a time some days ago, kept inside one organisation's timeline.
Moment = Callable[..., dt.datetime]

# When each step of the workspace story happened, in days before now (kept inside each
# organisation's timeline, Seeding.moment): the team joins (demo_teams), a member edits the
# progress and adds actions, some get done, another member reviews; practices are written,
# submitted and reviewed in between.
EDITED_DAYS_AGO = 30
ACTIONS_ADDED_DAYS_AGO = 29
PRACTICE_WRITTEN_DAYS_AGO = 20
PRACTICE_SUBMITTED_DAYS_AGO = 15
ACTION_DONE_DAYS_AGO = 10
REVIEWED_DAYS_AGO = 5
PRACTICE_REVIEWED_DAYS_AGO = 3

# A practice's state, by the organisation's id: mostly published, one of each other state.
PRACTICE_STATES = [
    PracticeStatus.PUBLISHED,
    PracticeStatus.SUBMITTED,
    PracticeStatus.PUBLISHED,
    PracticeStatus.RETURNED,
    PracticeStatus.PUBLISHED,
    PracticeStatus.DRAFT,
]


def seed_workspaces(seeding) -> None:
    password = PasswordHash()
    teams = seed_teams(seeding, password)
    list_team_logins(seeding)
    seed_two_organisation_login(seeding, password)
    # Each organisation's place in generation order (from 1): what it gets depends on that
    # rather than on its id, so the same seed gives the same workspaces in any database.
    number = {
        seeding.organisation_ids[organisation.slug]: place
        for place, organisation in enumerate(seeding.organisations, start=1)
        if organisation.slug in seeding.created_organisation_slugs
    }
    ids = sorted(number)
    pledge_ids = dict(Pledge.objects.values_list("code", "pk"))
    staff_id = (
        get_user_model().objects.filter(email=demo.STAFF_EMAIL).values_list("pk", flat=True).first()
    )
    totals = {"actions": 0, "history": 0, "practices": 0}
    for batch in batches(ids):
        _seed_progress(
            batch,
            number=number,
            pledge_ids=pledge_ids,
            teams=teams,
            totals=totals,
            moment=seeding.moment,
        )
        totals["practices"] += _seed_practices(
            batch, number=number, teams=teams, staff_id=staff_id, moment=seeding.moment
        )
        # Every organisation gets a data contact at its own .example domain.
        Organisation.objects.filter(pk__in=batch).update(
            data_contact_name="Data Protection Lead",
            data_contact_email=Concat(Value("data@"), F("website_domain")),
        )
    seeding.record("pledge actions", totals["actions"])
    seeding.record("pledge history entries", totals["history"])
    seeding.record("shared practices", totals["practices"])
    seed_invitations(seeding)


# --- Pledges -------------------------------------------------------------------------------------


def _seed_progress(
    batch: list[int],
    *,
    number: dict[int, int],
    pledge_ids: dict,
    teams: Teams,
    totals: dict,
    moment: Moment,
) -> None:
    """A third not started, a third in progress, a third embedded, with evidence, actions and,
    where the organisation has a team, the edit and the review that got it there."""
    editable = [pledge_ids[code] for code in ACTIONS]
    progressing = {
        status: [pk for pk in batch if number[pk] % 3 == remainder]
        for remainder, status in ((1, ProgressStatus.IN_PROGRESS), (2, ProgressStatus.EMBEDDED))
    }
    started = [pk for pk in batch if number[pk] % 3]
    domain = Subquery(
        Organisation.objects.filter(pk=OuterRef("organisation_id")).values("website_domain")[:1]
    )

    def by_pledge(values: dict) -> Case:
        return Case(
            *(When(pledge_id=pledge_ids[code], then=value) for code, value in values.items()),
            default=Value(""),
        )

    PledgeCommitment.objects.filter(organisation_id__in=started, pledge_id__in=editable).update(
        progress_status=Case(
            *(
                When(organisation_id__in=chosen, then=Value(status.value))
                for status, chosen in progressing.items()
            ),
            default=Value(ProgressStatus.NOT_STARTED.value),
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
        evidence_notes=by_pledge({code: Value(note) for code, note in EVIDENCE_NOTES.items()}),
        evidence_links=by_pledge(
            {
                code: Concat(
                    Value("https://"), domain, Value(first + "\nhttps://"), domain, Value(second)
                )
                for code, (first, second) in EVIDENCE_PATHS.items()
            }
        ),
    )
    # With a team: the edit is version 2, reviewed by a member; the history says who and when.
    with_team = [pk for pk in started if pk in teams.members]
    reviewed_at = {pk: moment(pk, days_ago=REVIEWED_DAYS_AGO) for pk in with_team}
    PledgeCommitment.objects.filter(organisation_id__in=with_team, pledge_id__in=editable).update(
        version=2,
        reviewed_at=Case(
            *(When(organisation_id=pk, then=Value(when)) for pk, when in reviewed_at.items()),
            default=None,
        ),
        reviewed_by_id=Case(
            *(When(organisation_id=pk, then=Value(teams.reviewer(pk))) for pk in with_team),
            default=None,
        ),
    )
    commitments = list(
        PledgeCommitment.objects.filter(
            organisation_id__in=started, pledge_id__in=editable
        ).values_list(
            "pk",
            "organisation_id",
            "pledge__code",
            "progress_status",
            "progress_summary",
            "evidence_notes",
            "evidence_links",
        )
    )
    today = timezone.localdate()
    actions = []
    for commitment_id, organisation_id, code, *_ in commitments:
        pool = ACTIONS[code]
        place = number[organisation_id]
        for index in range(1 + place % 2):
            description, owner = pool[(place + index) % len(pool)]
            actions.append(
                PledgeAction(
                    commitment_id=commitment_id,
                    description=description,
                    owner=owner,
                    # Some due next quarter, some already late, some done.
                    due_on=today + dt.timedelta(days=90 - (place + index) % 5 * 40),
                    done_at=(
                        moment(organisation_id, days_ago=ACTION_DONE_DAYS_AGO)
                        if (place + index) % 4 == 0
                        else None
                    ),
                    created_by_id=teams.admin(organisation_id),
                )
            )
    PledgeAction.objects.bulk_create(actions, batch_size=BATCH)
    organisation_of = {
        commitment_id: organisation_id for commitment_id, organisation_id, *_ in commitments
    }
    # created_at is auto_now_add: the INSERT wrote now. Added just after the edit, before done.
    for action in actions:
        action.created_at = moment(
            organisation_of[action.commitment_id], days_ago=ACTIONS_ADDED_DAYS_AGO
        )
    backdate(PledgeAction, "created_at", {a.pk: a.created_at for a in actions if a.pk})
    totals["actions"] += len(actions)
    # In the order a team works: the edit, then its actions, then the review (the history
    # lists entries of the same moment newest id first).
    history, reviews = [], []
    for commitment_id, organisation_id, _, status, summary, notes, links in commitments:
        if organisation_id not in teams.members:
            continue
        history += [
            CommitmentChange(
                commitment_id=commitment_id,
                kind=CommitmentChangeKind.EDITED,
                changed_at=moment(organisation_id, days_ago=EDITED_DAYS_AGO),
                version=2,
                changed_by_id=teams.admin(organisation_id),
                changes=[
                    {
                        "field": "progress_status",
                        "label": "Progress status",
                        "before": ProgressStatus.NOT_STARTED.label,
                        "after": ProgressStatus(status).label,
                    },
                    {
                        "field": "progress_summary",
                        "label": "Public progress summary",
                        "before": "",
                        "after": summary,
                    },
                    {
                        "field": "evidence_notes",
                        "label": "Evidence notes (private)",
                        "before": "",
                        "after": notes,
                    },
                    {
                        "field": "evidence_links",
                        "label": "Evidence links (private)",
                        "before": "",
                        "after": links,
                    },
                ],
            ),
        ]
        reviews.append(
            CommitmentChange(
                commitment_id=commitment_id,
                kind=CommitmentChangeKind.REVIEWED,
                changed_at=reviewed_at[organisation_id],
                version=2,
                changed_by_id=teams.reviewer(organisation_id),
                changes=[],
            )
        )
    team_of = {commitment_id: organisation_id for commitment_id, organisation_id, *_ in commitments}
    history += [
        CommitmentChange(
            commitment_id=action.commitment_id,
            kind=CommitmentChangeKind.ACTION_ADDED,
            changed_at=action.created_at,
            version=2,
            action=action,
            changed_by_id=action.created_by_id,
            changes=[
                {
                    "field": "description",
                    "label": "What",
                    "before": "",
                    "after": action.description,
                },
                {"field": "owner", "label": "Owner", "before": "", "after": action.owner},
                {
                    "field": "due_on",
                    "label": "Due date",
                    "before": "",
                    "after": action.due_on.isoformat(),
                },
            ],
        )
        for action in actions
        if team_of[action.commitment_id] in teams.members and action.pk is not None
    ]
    # changed_at is auto_now_add too: the INSERT overwrote the moments given above.
    changes = history + reviews
    planned_at = [change.changed_at for change in changes]
    CommitmentChange.objects.bulk_create(changes, batch_size=BATCH)
    for change, changed_at in zip(changes, planned_at, strict=True):
        change.changed_at = changed_at
    backdate(CommitmentChange, "changed_at", {c.pk: c.changed_at for c in changes if c.pk})
    totals["history"] += len(history)


def _seed_practices(
    batch: list[int], *, number: dict[int, int], teams: Teams, staff_id: int | None, moment: Moment
) -> int:
    """One practice for every tenth organisation, in every state staff review leaves them."""
    rows = []
    for pk in batch:
        place = number[pk]
        if place % 10:
            continue
        # Titles and states cycle at different rates, so each text is seen in several states.
        title, summary, body, topics = PRACTICES[(place // 10 + place // 60) % len(PRACTICES)]
        status = PRACTICE_STATES[place // 10 % len(PRACTICE_STATES)]
        if staff_id is None and status in (PracticeStatus.PUBLISHED, PracticeStatus.RETURNED):
            status = PracticeStatus.SUBMITTED  # nobody to have reviewed it
        published = status == PracticeStatus.PUBLISHED
        reviewed = status in (PracticeStatus.PUBLISHED, PracticeStatus.RETURNED)
        reviewed_at = moment(pk, days_ago=PRACTICE_REVIEWED_DAYS_AGO)
        rows.append(
            Practice(
                organisation_id=pk,
                title=title,
                summary=summary,
                body=body,
                topics=topics,
                anonymous=place % 20 == 0,
                status=status,
                is_public=published and place % 50 == 0,
                submitted_at=(
                    None
                    if status == PracticeStatus.DRAFT
                    else moment(pk, days_ago=PRACTICE_SUBMITTED_DAYS_AGO)
                ),
                published_at=reviewed_at if published else None,
                reviewed_at=reviewed_at if reviewed else None,
                reviewed_by_id=staff_id if reviewed else None,
                review_comment=(
                    RETURN_COMMENTS[place // 10 % len(RETURN_COMMENTS)]
                    if status == PracticeStatus.RETURNED
                    else ""
                ),
                created_by_id=teams.admin(pk),
            )
        )
    Practice.objects.bulk_create(rows, batch_size=BATCH)
    # created_at is auto_now_add: the INSERT wrote now. Written before it was submitted.
    for row in rows:
        row.created_at = moment(row.organisation_id, days_ago=PRACTICE_WRITTEN_DAYS_AGO)
    backdate(Practice, "created_at", {row.pk: row.created_at for row in rows if row.pk})
    return len(rows)
