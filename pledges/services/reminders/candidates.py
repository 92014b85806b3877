"""Everything due at one moment, read in a fixed number of queries whatever the numbers.

Each reader loads one table (or one join) in bulk and combines in Python with the pure schedule
functions, so the sweep costs the same queries at 3 organisations as at 10,000 (benchmarked in
bench/reminders.py, asserted in tests/pledges/test_reminders_sweep.py). No per-organisation query
may be added here.

A candidate is a claim that may not exist yet: the sweep inserts them all with ``ON CONFLICT DO
NOTHING`` and only those that are new are sent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Q
from django.db.models.functions import Coalesce, Lower

from charter.models import User
from charter.permissions import CHARTER_STAFF_GROUP
from pledges.models import (
    CycleExemption,
    CycleStatus,
    DataReturn,
    EmailOptOut,
    PledgeCommitment,
    ReminderDelivery,
    ReminderKind,
    ReminderPause,
    ReportingCycle,
    ReturnQuery,
    ReturnStatus,
)
from pledges.models.reminders import DeliveryState
from pledges.selectors.compliance import Standing, compliance_overview, was_expected
from pledges.services.reminders import schedule
from pledges.services.returns import return_editable_until
from signatories.choices import ApplicationStatus, MemberRole, OrganisationStatus
from signatories.models import (
    Application,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    Representative,
)
from signatories.services.team import INVITATION_MAX_AGE

# Cycles whose organisations may still be chased: open ones, and closed ones where a grace
# extension or a reopen gave an organisation a later deadline (the last step's week-long window
# bounds how long after closing anything is sent).
CHASED_CYCLE_STATUSES = (CycleStatus.OPEN, CycleStatus.CLOSED)
# Applications waiting this many working days appear in the staff digest.
APPLICATION_WAITING_WORKING_DAYS = 5


@dataclass(frozen=True, order=True)
class Candidate:
    kind: str
    subject: str
    step: str
    recipient: str
    organisation_id: int | None = None
    cycle_id: int | None = None


@dataclass
class DigestCounts:
    applications: int = 0
    queries: int = 0
    delisting: int = 0
    failed: int = 0

    @property
    def anything_waiting(self) -> bool:
        return bool(self.applications or self.queries or self.delisting or self.failed)


@dataclass
class Candidates:
    items: set[Candidate] = field(default_factory=set)
    names: dict[int, str] = field(default_factory=dict)

    def add(self, *, kind, subject, step, recipients, organisation_id=None, cycle_id=None):
        for recipient in recipients:
            recipient = (recipient or "").strip().lower()
            if recipient:
                self.items.add(Candidate(kind, subject, step, recipient, organisation_id, cycle_id))


# The kinds that chase one organisation's return of one cycle (subject: data_subject).
DATA_KINDS = (ReminderKind.DATA_INVITATION, ReminderKind.DATA_DUE, ReminderKind.DATA_OVERDUE)


def subject_id(subject: str) -> int:
    """The id a subject ends with: ``representative:7`` → 7 (and invitation, join request)."""
    return int(subject.rsplit(":", 1)[1])


def data_subject(*, cycle_id: int, organisation_id: int) -> str:
    return f"cycle:{cycle_id}:organisation:{organisation_id}"


def organisation_deadline(cycle: ReportingCycle, grace_until, reopened_until) -> dt.date:
    """The organisation's own last day: the cycle's closing date moved by a grace extension or a
    staff reopen, by the same rule as the return page (services.returns)."""
    row = SimpleNamespace(cycle=cycle, grace_until=grace_until, reopened_until=reopened_until)
    return return_editable_until(row)


def chased_organisations() -> dict[int, Organisation]:
    """The organisations reminders may go to, by id: active and not paused by staff. Two
    queries; the fields are those was_expected and the data reminders read."""
    paused = ReminderPause.objects.filter(resumed_at=None).values("organisation_id")
    organisations = (
        Organisation.objects.filter(status=OrganisationStatus.ACTIVE)
        .exclude(pk__in=paused)
        .only(
            "public_name",
            "status",
            "signed_on",
            "withdrawn_on",
            "suspended_on",
            "data_contact_email",
        )
        .order_by("public_name")
    )
    return {organisation.pk: organisation for organisation in organisations}


def admin_emails(organisation_ids=None) -> dict[int, set[str]]:
    """The admins (active users) of every active organisation, lower-cased: one query."""
    rows = Membership.objects.filter(
        role=MemberRole.ADMIN,
        user__is_active=True,
        organisation__status=OrganisationStatus.ACTIVE,
    )
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    admins: dict[int, set[str]] = defaultdict(set)
    for organisation_id, email in rows.values_list("organisation_id", Lower("user__email")):
        admins[organisation_id].add(email)
    return admins


def _opted_out() -> set[tuple[str, str]]:
    return set(EmailOptOut.objects.values_list(Lower("user__email"), "kind"))


def candidates_due(*, at: dt.datetime) -> Candidates:
    """Every claim due at ``at``, each for one recipient. Stop conditions everywhere: the
    organisation is active and not paused; data reminders also need it expected, not exempt and
    not submitted."""
    found = Candidates()
    live = chased_organisations()
    found.names = {pk: organisation.public_name for pk, organisation in live.items()}
    admins = admin_emails()
    representatives = {
        row["organisation_id"]: row
        for row in Representative.objects.filter(
            ended_at=None, organisation__status=OrganisationStatus.ACTIVE
        ).values("id", "organisation_id", "email", "named_at", "confirmed_at", "declined_at")
    }
    opted_out = _opted_out()

    _data_candidates(found, at=at, live=live, admins=admins, representatives=representatives)
    delisting = _delisting_candidates(
        found, live=live, admins=admins, representatives=representatives
    )
    _representative_candidates(
        found, at=at, live=live, admins=admins, representatives=representatives
    )
    _team_candidates(found, at=at, live=live, admins=admins)
    _pledge_review_candidates(found, at=at, live=live, admins=admins, opted_out=opted_out)
    _staff_digest_candidates(found, at=at, delisting=delisting, opted_out=opted_out)
    return found


def _data_candidates(found, *, at, live, admins, representatives) -> None:
    cycles = {
        cycle.pk: cycle for cycle in ReportingCycle.objects.filter(status__in=CHASED_CYCLE_STATUSES)
    }
    if not cycles:
        return
    rows = DataReturn.objects.filter(cycle_id__in=cycles).values_list(
        "organisation_id", "cycle_id", "status", "grace_until", "reopened_until"
    )
    returns = {(row[0], row[1]): row[2:] for row in rows}
    exempt = set(
        CycleExemption.objects.filter(cycle_id__in=cycles).values_list(
            "organisation_id", "cycle_id"
        )
    )
    for cycle in cycles.values():
        invitation = None
        if cycle.status == CycleStatus.OPEN:
            invitation = schedule.due_step(
                schedule.invitation_steps(opens_on=cycle.opens_on, closes_on=cycle.closes_on), at
            )
        # Thousands of organisations share a handful of deadlines: work each one out once.
        due_by_deadline: dict[dt.date, schedule.Step | None] = {}
        for organisation_id, organisation in live.items():
            if (organisation_id, cycle.pk) in exempt or not was_expected(organisation, cycle):
                continue
            status, grace_until, reopened_until = returns.get(
                (organisation_id, cycle.pk), (None, None, None)
            )
            if status == ReturnStatus.SUBMITTED:
                continue
            deadline = organisation_deadline(cycle, grace_until, reopened_until)
            if deadline not in due_by_deadline:
                due_by_deadline[deadline] = schedule.due_step(
                    schedule.deadline_steps(
                        deadline=deadline,
                        days_before=cycle.reminder_days_before,
                        days_after=cycle.reminder_days_after,
                    ),
                    at,
                )
            recipients = {organisation.data_contact_email, *admins.get(organisation_id, ())}
            step = due_by_deadline[deadline]
            step_recipients = set(recipients)
            if step and schedule.is_last_after_step(step.step, cycle.reminder_days_after):
                representative = representatives.get(organisation_id)
                if representative and not representative["declined_at"]:
                    step_recipients.add(representative["email"])
            # Two sequences: the invitation, and the steps around the deadline.
            for due, people in ((invitation, recipients), (step, step_recipients)):
                if due is not None:
                    found.add(
                        kind=due.kind,
                        subject=data_subject(cycle_id=cycle.pk, organisation_id=organisation_id),
                        step=due.step,
                        recipients=people,
                        organisation_id=organisation_id,
                        cycle_id=cycle.pk,
                    )


def _delisting_candidates(found, *, live, admins, representatives) -> int:
    """Organisations proposed for delisting and not decided: once per (organisation, cycle
    whose miss triggered it). Returns how many proposals wait on staff (for the digest)."""
    _, rows = compliance_overview(standing_filter=Standing.DELISTING_PROPOSED)
    for row in rows:
        organisation_id, cycle = row.organisation.pk, row.latest_missed_cycle
        if organisation_id not in live or cycle is None:
            continue
        recipients = set(admins.get(organisation_id, ()))
        representative = representatives.get(organisation_id)
        if representative and not representative["declined_at"]:
            recipients.add(representative["email"])
        found.add(
            kind=ReminderKind.DATA_DELISTING,
            subject=f"delisting:organisation:{organisation_id}",
            step=f"delisting:{cycle.year}",
            recipients=recipients,
            organisation_id=organisation_id,
            cycle_id=cycle.pk,
        )
    return len(rows)


def _representative_candidates(found, *, at, live, admins, representatives) -> None:
    for organisation_id, representative in representatives.items():
        if organisation_id not in live or representative["declined_at"]:
            continue
        anchor = schedule.reconfirm_anchor(
            confirmed_at=representative["confirmed_at"], named_at=representative["named_at"]
        )
        step = schedule.due_step(schedule.reconfirm_steps(anchor), at)
        if step is None:
            continue
        if step.kind == ReminderKind.REPRESENTATIVE_UNCONFIRMED:
            recipients = admins.get(organisation_id, ())
        else:
            recipients = [representative["email"]]
        found.add(
            kind=step.kind,
            subject=f"representative:{representative['id']}",
            step=step.step,
            recipients=recipients,
            organisation_id=organisation_id,
        )


def _team_candidates(found, *, at, live, admins) -> None:
    max_age = dt.timedelta(seconds=INVITATION_MAX_AGE)
    invitations = Invitation.objects.filter(
        accepted_at=None,
        cancelled_at=None,
        created_at__gt=at - max_age,
        created_at__lte=at - max_age + schedule.INVITATION_WARNING,
    ).values_list("id", "organisation_id", "email", "created_at")
    for invitation_id, organisation_id, email, created_at in invitations:
        step = schedule.invitation_expiring_step(created_at=created_at, max_age=max_age)
        if organisation_id in live and schedule.due_step([step], at):
            found.add(
                kind=step.kind,
                subject=f"invitation:{invitation_id}",
                step=step.step,
                recipients=[email],
                organisation_id=organisation_id,
            )
    waits = schedule.JOIN_REQUEST_WAITS
    join_requests = JoinRequest.objects.filter(
        status="pending",
        created_at__lte=at - waits,
        created_at__gt=at - waits - schedule.LAST_STEP_DUE_FOR,
    ).values_list("id", "organisation_id", "created_at")
    for join_request_id, organisation_id, created_at in join_requests:
        step = schedule.join_request_step(created_at)
        if organisation_id in live and schedule.due_step([step], at):
            found.add(
                kind=step.kind,
                subject=f"join_request:{join_request_id}",
                step=step.step,
                recipients=admins.get(organisation_id, ()),
                organisation_id=organisation_id,
            )


def pledge_review_subject(organisation_id: int) -> str:
    return f"pledges:organisation:{organisation_id}"


def _pledge_review_candidates(found, *, at, live, admins, opted_out) -> None:
    # Only commitments whose year is up around now: a wide SQL window, then the exact rule.
    year_ago = schedule.add_months(schedule.local_date(at), -schedule.YEARLY_MONTHS)
    commitments = (
        PledgeCommitment.objects.annotate(last_review=Coalesce("reviewed_at", "accepted_at"))
        .filter(
            organisation__status=OrganisationStatus.ACTIVE,
            last_review__gte=schedule.step_moment(year_ago - dt.timedelta(days=9), dt.time(0, 0)),
            last_review__lt=schedule.step_moment(year_ago + dt.timedelta(days=2), dt.time(0, 0)),
        )
        .values_list("organisation_id", "last_review")
    )
    for organisation_id, last_review in commitments:
        if organisation_id not in live:
            continue
        anchor = schedule.add_months(schedule.local_date(last_review), schedule.YEARLY_MONTHS)
        step = schedule.due_step([schedule.pledge_review_step(anchor)], at)
        if step is None:
            continue
        found.add(
            kind=step.kind,
            subject=pledge_review_subject(organisation_id),
            step=step.step,
            recipients=[
                email
                for email in admins.get(organisation_id, ())
                if (email, ReminderKind.PLEDGE_REVIEW) not in opted_out
            ],
            organisation_id=organisation_id,
        )


def staff_recipients() -> list[str]:
    """Active charter staff (the group or superusers), lower-cased."""
    return sorted(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=CHARTER_STAFF_GROUP))
        .values_list(Lower("email"), flat=True)
        .distinct()
    )


def digest_counts(*, at: dt.datetime, delisting: int | None = None) -> DigestCounts:
    """What waits on staff. ``delisting`` is passed by the sweep, which already counted it."""
    waiting_since = schedule.working_days_before(
        schedule.local_date(at), APPLICATION_WAITING_WORKING_DAYS
    )
    if delisting is None:
        delisting = len(compliance_overview(standing_filter=Standing.DELISTING_PROPOSED)[1])
    return DigestCounts(
        applications=Application.objects.filter(
            status=ApplicationStatus.SUBMITTED,
            submitted_at__lt=schedule.step_moment(waiting_since, dt.time(0, 0)),
        ).count(),
        queries=ReturnQuery.objects.filter(answered_at=None).count(),
        delisting=delisting,
        failed=ReminderDelivery.objects.filter(state=DeliveryState.FAILED, retried_at=None).count(),
    )


def _staff_digest_candidates(found, *, at, delisting, opted_out) -> None:
    step = schedule.due_step([schedule.digest_step(at)], at)
    if step is None or not digest_counts(at=at, delisting=delisting).anything_waiting:
        return
    found.add(
        kind=step.kind,
        subject="staff",
        step=step.step,
        recipients=[
            email
            for email in staff_recipients()
            if (email, ReminderKind.STAFF_DIGEST) not in opted_out
        ],
    )
