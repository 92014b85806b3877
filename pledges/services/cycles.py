"""Staff run the yearly reporting cycle: create, edit, open, extend, close (and, through the
report's publication, publish); exempt an organisation; reopen one organisation's return;
decide grace requests.

Every action writes a CycleEvent (who, when, what, why, and the values before and after) in
the same transaction as the change itself, so the record on the cycle page can never miss an
action nor show one that did not happen. Each action locks the cycle row first: two staff
pressing "close" at once get one close and one clear refusal, not two events.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from pledges.models import (
    CycleEvent,
    CycleEventKind,
    CycleExemption,
    CycleStatus,
    DataReturn,
    GraceRequest,
    GraceStatus,
    ReportingCycle,
)
from pledges.models.cycles import default_window
from pledges.services.returns import return_deadline, return_get_or_start
from signatories.models import Organisation
from signatories.services import ServiceError


class CycleInvalid(ServiceError):
    """The cycle's dates break a rule; ``problems`` maps a field name to its message, so a form
    can show each one next to its field."""

    def __init__(self, message: str, *, problems: dict[str, str]):
        super().__init__(message)
        self.problems = problems


# The fields staff set on a cycle, in form order (the year is set once, on creation).
CYCLE_FIELDS = ("window_starts_on", "window_ends_on", "opens_on", "closes_on", "introduction")


def _date(value: dt.date) -> str:
    return value.isoformat()


def _json(value):
    return _date(value) if isinstance(value, dt.date) else value


def _event(
    *,
    cycle: ReportingCycle,
    kind: str,
    by,
    reason: str = "",
    organisation: Organisation | None = None,
    details: dict | None = None,
) -> CycleEvent:
    return CycleEvent.objects.create(
        cycle=cycle,
        kind=kind,
        by=by,
        reason=reason.strip(),
        organisation=organisation,
        details=details or {},
    )


def _locked(cycle: ReportingCycle) -> ReportingCycle:
    """The cycle as it is now, locked for the rest of the transaction."""
    return ReportingCycle.objects.select_for_update().get(pk=cycle.pk)


def _refresh(cycle: ReportingCycle) -> ReportingCycle:
    cycle.refresh_from_db()
    return cycle


def cycle_dates_problems(
    *,
    year: int,
    window_starts_on: dt.date,
    window_ends_on: dt.date,
    opens_on: dt.date,
    closes_on: dt.date,
) -> dict[str, str]:
    """Every broken rule about a cycle's dates, by field: the snapshot window in order and inside
    the year (the staff headcount date of each return must fall in it), closing on or after
    opening."""
    problems: dict[str, str] = {}
    if window_starts_on.year != year:
        problems["window_starts_on"] = f"The snapshot window must start in {year}."
    if window_ends_on.year != year:
        problems["window_ends_on"] = f"The snapshot window must end in {year}."
    elif window_ends_on < window_starts_on and "window_starts_on" not in problems:
        problems["window_ends_on"] = "The snapshot window must end on or after the day it starts."
    if closes_on < opens_on:
        problems["closes_on"] = "The closing date must be on or after the opening date."
    return problems


def _check_dates(year: int, values: dict) -> None:
    problems = cycle_dates_problems(
        year=year,
        window_starts_on=values["window_starts_on"],
        window_ends_on=values["window_ends_on"],
        opens_on=values["opens_on"],
        closes_on=values["closes_on"],
    )
    if problems:
        raise CycleInvalid("The cycle was not saved: correct the dates shown.", problems=problems)


def cycle_create(
    *,
    year: int,
    by,
    opens_on: dt.date,
    closes_on: dt.date,
    window_starts_on: dt.date | None = None,
    window_ends_on: dt.date | None = None,
    introduction: str = "",
) -> ReportingCycle:
    """A new cycle in draft. The snapshot window defaults to 1 March – 30 September of the year
    (each end separately, so staff may move only one)."""
    default_start, default_end = default_window(year)
    values = {
        "window_starts_on": window_starts_on or default_start,
        "window_ends_on": window_ends_on or default_end,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "introduction": introduction.strip(),
    }
    _check_dates(year, values)
    taken = CycleInvalid(
        f"There is already a {year} cycle.",
        problems={"year": f"There is already a {year} cycle: open it from the list."},
    )
    with transaction.atomic():
        # Checking first gives the usual case a clear message; the unique constraint decides
        # between two staff creating the same year at the same moment.
        if ReportingCycle.objects.filter(year=year).exists():
            raise taken
        try:
            with transaction.atomic():
                cycle = ReportingCycle.objects.create(
                    year=year, status=CycleStatus.DRAFT, created_by=by, **values
                )
        except IntegrityError:
            raise taken from None
        _event(
            cycle=cycle,
            kind=CycleEventKind.CREATED,
            by=by,
            details={name: {"before": None, "after": _json(values[name])} for name in values},
        )
    return cycle


def cycle_update(
    *,
    cycle: ReportingCycle,
    by,
    window_starts_on: dt.date,
    window_ends_on: dt.date,
    opens_on: dt.date,
    closes_on: dt.date,
    introduction: str = "",
    reason: str = "",
) -> ReportingCycle:
    """Change a draft cycle's dates and introduction. Once open, only the closing date moves,
    and only later (cycle_extend): signatories already read the rest."""
    values = {
        "window_starts_on": window_starts_on,
        "window_ends_on": window_ends_on,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "introduction": introduction.strip(),
    }
    with transaction.atomic():
        current = _locked(cycle)
        if current.status != CycleStatus.DRAFT:
            raise ServiceError(
                f"The {current.year} cycle is {current.get_status_display().lower()}: only a "
                "draft cycle can be edited. Extend the closing date instead."
            )
        _check_dates(current.year, values)
        changes = {
            name: {"before": _json(getattr(current, name)), "after": _json(value)}
            for name, value in values.items()
            if getattr(current, name) != value
        }
        if not changes:
            return current
        ReportingCycle.objects.filter(pk=current.pk).update(**values)
        _event(cycle=current, kind=CycleEventKind.EDITED, by=by, reason=reason, details=changes)
    return _refresh(cycle)


def _status_details(before: str, after: str) -> dict:
    return {"status": {"before": before, "after": after}}


def cycle_open(*, cycle: ReportingCycle, by, reason: str = "") -> ReportingCycle:
    """draft → open: signatories can fill in their returns (from the opening date)."""
    with transaction.atomic():
        current = _locked(cycle)
        if current.status != CycleStatus.DRAFT:
            raise ServiceError(
                f"The {current.year} cycle is already {current.get_status_display().lower()}: "
                "only a draft cycle can be opened."
            )
        ReportingCycle.objects.filter(pk=current.pk).update(
            status=CycleStatus.OPEN, opened_at=timezone.now()
        )
        _event(
            cycle=current,
            kind=CycleEventKind.OPENED,
            by=by,
            reason=reason,
            details=_status_details(CycleStatus.DRAFT, CycleStatus.OPEN),
        )
    return _refresh(cycle)


def cycle_extend(*, cycle: ReportingCycle, by, closes_on: dt.date, reason: str) -> ReportingCycle:
    """Move an open cycle's closing date later, for everyone. The reason is required: the
    organisations that met the first date will ask why."""
    _require_reason(reason, "Say why the closing date moves.")
    with transaction.atomic():
        current = _locked(cycle)
        if current.status != CycleStatus.OPEN:
            raise ServiceError(
                f"The {current.year} cycle is {current.get_status_display().lower()}: only an "
                "open cycle's closing date can be extended."
            )
        if closes_on <= current.closes_on:
            message = (
                f"The new closing date must be after the current one, "
                f"{current.closes_on:%-d %B %Y}."
            )
            raise CycleInvalid(message, problems={"closes_on": message})
        ReportingCycle.objects.filter(pk=current.pk).update(closes_on=closes_on)
        _event(
            cycle=current,
            kind=CycleEventKind.EXTENDED,
            by=by,
            reason=reason,
            details={"closes_on": {"before": _date(current.closes_on), "after": _date(closes_on)}},
        )
    return _refresh(cycle)


def cycle_close(*, cycle: ReportingCycle, by, reason: str = "") -> ReportingCycle:
    """open → closed: no more returns, except by a granted grace extension or a staff reopen."""
    with transaction.atomic():
        current = _locked(cycle)
        if current.status != CycleStatus.OPEN:
            raise ServiceError(
                f"The {current.year} cycle is {current.get_status_display().lower()}: only an "
                "open cycle can be closed."
            )
        ReportingCycle.objects.filter(pk=current.pk).update(
            status=CycleStatus.CLOSED, closed_at=timezone.now()
        )
        _event(
            cycle=current,
            kind=CycleEventKind.CLOSED,
            by=by,
            reason=reason,
            details=_status_details(CycleStatus.OPEN, CycleStatus.CLOSED),
        )
    return _refresh(cycle)


def cycle_mark_published(*, cycle: ReportingCycle, by, version: int) -> ReportingCycle:
    """closed → published, when staff publish the cycle's report (``reports.services``); a
    correction (version 2 and after) records another event and keeps the cycle published.

    Runs inside the report's publication transaction. The organisations that chose "delete our
    detailed figures" are erased by ``retention.erase_requested_figures`` after it commits."""
    current = _locked(cycle)
    if current.status not in (CycleStatus.CLOSED, CycleStatus.PUBLISHED):
        raise ServiceError(
            f"The {current.year} cycle is {current.get_status_display().lower()}: a report is "
            "published only once the cycle has closed."
        )
    if current.status == CycleStatus.CLOSED:
        ReportingCycle.objects.filter(pk=current.pk).update(
            status=CycleStatus.PUBLISHED, published_at=timezone.now()
        )
    _event(
        cycle=current,
        kind=CycleEventKind.PUBLISHED,
        by=by,
        details={
            **_status_details(current.status, CycleStatus.PUBLISHED),
            "report_version": version,
        },
    )
    return _refresh(cycle)


def _refuse_if_published(cycle: ReportingCycle, what: str) -> None:
    if cycle.status == CycleStatus.PUBLISHED:
        raise ServiceError(f"The {cycle.year} report is published: {what} can no longer change.")


def _require_reason(reason: str, message: str, *, field: str = "reason") -> None:
    if not reason.strip():
        raise CycleInvalid(message, problems={field: message})


def cycle_exempt(
    *, cycle: ReportingCycle, organisation: Organisation, by, reason: str
) -> CycleExemption:
    """Excuse one organisation from one cycle (e.g. no tech staff on the snapshot date): it is
    counted apart in the progress and is not missing in compliance."""
    _require_reason(reason, "Say why this organisation is exempt.")
    with transaction.atomic():
        current = _locked(cycle)
        _refuse_if_published(current, "exemptions")
        if CycleExemption.objects.filter(cycle=current, organisation=organisation).exists():
            raise ServiceError(
                f"{organisation.public_name} is already exempt from the {current.year} cycle."
            )
        exemption = CycleExemption.objects.create(
            cycle=current, organisation=organisation, reason=reason.strip(), by=by
        )
        _event(
            cycle=current,
            kind=CycleEventKind.EXEMPTED,
            by=by,
            reason=reason,
            organisation=organisation,
            details={"exempt": {"before": False, "after": True}},
        )
    return exemption


def cycle_exemption_remove(*, exemption: CycleExemption, by, reason: str) -> None:
    """The organisation is expected to report again (the exemption's reason stays in the
    record, on the EXEMPTED event)."""
    _require_reason(reason, "Say why the exemption is removed.")
    with transaction.atomic():
        current = _locked(exemption.cycle)
        _refuse_if_published(current, "exemptions")
        deleted, _ = CycleExemption.objects.filter(pk=exemption.pk).delete()
        if not deleted:
            raise ServiceError("This exemption was already removed.")
        _event(
            cycle=current,
            kind=CycleEventKind.EXEMPTION_REMOVED,
            by=by,
            reason=reason,
            organisation=exemption.organisation,
            details={
                "exempt": {"before": True, "after": False},
                "exemption_reason": exemption.reason,
            },
        )


def return_reopen(
    *,
    cycle: ReportingCycle,
    organisation: Organisation,
    by,
    reason: str,
    until: dt.date,
    today: dt.date | None = None,
) -> DataReturn:
    """Let one organisation change (or first submit) its return after its deadline, until
    ``until``. A first submission then is still late, and asks why (return_submit)."""
    today = today or timezone.localdate()
    _require_reason(reason, "Say why this return is reopened.")
    with transaction.atomic():
        current = _locked(cycle)
        _refuse_if_published(current, "returns")
        if current.status == CycleStatus.DRAFT:
            raise ServiceError(f"The {current.year} cycle has not opened yet.")
        data_return = return_get_or_start(cycle=current, organisation=organisation)
        data_return = (
            DataReturn.objects.select_for_update()
            .select_related("cycle", "organisation")
            .get(pk=data_return.pk)
        )
        deadline = return_deadline(data_return)
        if today <= deadline:
            raise ServiceError(
                f"{organisation.public_name}'s deadline is {deadline:%-d %B %Y}: until then it "
                "can change its return without a reopen."
            )
        if until <= today:
            message = "The new deadline must be after today."
            raise CycleInvalid(message, problems={"until": message})
        before = data_return.reopened_until
        DataReturn.objects.filter(pk=data_return.pk).update(
            reopened_until=until, reopen_reason=reason.strip(), updated_at=timezone.now()
        )
        _event(
            cycle=current,
            kind=CycleEventKind.REOPENED,
            by=by,
            reason=reason,
            organisation=organisation,
            details={
                "reopened_until": {
                    "before": _date(before) if before else None,
                    "after": _date(until),
                }
            },
        )
    data_return.refresh_from_db()
    return data_return


def _locked_pending_grace(grace_request: GraceRequest) -> GraceRequest:
    current = (
        GraceRequest.objects.select_for_update()
        .select_related("data_return__cycle", "data_return__organisation")
        .get(pk=grace_request.pk)
    )
    if current.status != GraceStatus.PENDING:
        raise ServiceError(
            f"This grace request was already {current.get_status_display().lower()}."
        )
    _refuse_if_published(current.data_return.cycle, "deadlines")
    return current


def grace_grant(*, grace_request: GraceRequest, by, note: str = "") -> GraceRequest:
    """Grant the days asked for: the organisation's deadline becomes the cycle's closing date
    plus those days (counted from the closing date, not from the decision, so a slow decision
    does not give more time than was asked)."""
    with transaction.atomic():
        current = _locked_pending_grace(grace_request)
        data_return = current.data_return
        cycle = _locked(data_return.cycle)
        grace_until = cycle.closes_on + dt.timedelta(days=current.days)
        now = timezone.now()
        GraceRequest.objects.filter(pk=current.pk).update(
            status=GraceStatus.GRANTED, decided_by=by, decided_at=now, decision_note=note.strip()
        )
        DataReturn.objects.filter(pk=data_return.pk).update(grace_until=grace_until, updated_at=now)
        _event(
            cycle=cycle,
            kind=CycleEventKind.GRACE_GRANTED,
            by=by,
            reason=note,
            organisation=data_return.organisation,
            details={
                "days": current.days,
                "request_reason": current.reason,
                "grace_until": {
                    "before": _json(data_return.grace_until),
                    "after": _date(grace_until),
                },
            },
        )
    grace_request.refresh_from_db()
    return grace_request


def grace_refuse(*, grace_request: GraceRequest, by, note: str) -> GraceRequest:
    """Refuse the request with a note the organisation reads; its deadline stays the cycle's."""
    _require_reason(
        note, "Say why the extension is refused: the organisation reads it.", field="note"
    )
    with transaction.atomic():
        current = _locked_pending_grace(grace_request)
        data_return = current.data_return
        GraceRequest.objects.filter(pk=current.pk).update(
            status=GraceStatus.REFUSED,
            decided_by=by,
            decided_at=timezone.now(),
            decision_note=note.strip(),
        )
        _event(
            cycle=data_return.cycle,
            kind=CycleEventKind.GRACE_REFUSED,
            by=by,
            reason=note,
            organisation=data_return.organisation,
            details={"days": current.days, "request_reason": current.reason},
        )
    grace_request.refresh_from_db()
    return grace_request
