"""Writes for an organisation's data return: the shared draft, submissions and their revisions.

The rules about the figures themselves are pure functions in pledges.returns_rules; this
module adds the database: deadlines, optimistic locking of the draft, immutable revisions.
Form submissions and the CSV import (pledges.services.submissions_import) both go through
``revision_record``, so a revision is made one way only.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pledges import returns_rules as rules
from pledges.models import (
    CycleStatus,
    DataReturn,
    OutlierStatus,
    ReportingCycle,
    ReturnQuery,
    ReturnRevision,
    ReturnStatus,
    RevisionSource,
)
from pledges.models.returns import FIGURE_FIELDS
from pledges.services.receipts import receipt_email_queue
from signatories.models import Organisation
from signatories.services import ServiceError


class ReturnInvalid(ServiceError):
    """The figures break a rule; ``problems`` lists each (pledges.returns_rules.Problem)."""

    def __init__(self, message: str, *, problems: list[rules.Problem]):
        super().__init__(message)
        self.problems = problems


class WarningsUnconfirmed(ServiceError):
    """A plausibility warning was neither confirmed nor explained; ``warnings`` lists them."""

    def __init__(self, message: str, *, warnings: list[rules.Problem]):
        super().__init__(message)
        self.warnings = warnings


class LateReasonMissing(ServiceError):
    """The return is past its deadline and the submitter did not say why."""


class ReturnConflict(ServiceError):
    """Someone saved the draft after the editor opened it; ``changes`` lists what they changed
    ({field, label, before, after}: before is what the editor opened, after what is saved)."""

    def __init__(self, message: str, *, current: DataReturn, changes: list[dict]):
        super().__init__(message)
        self.current = current
        self.changes = changes


# ---- deadlines -------------------------------------------------------------------------------


def return_deadline(data_return: DataReturn) -> dt.date:
    """The organisation's own deadline: the cycle's closing date, or a granted grace date.
    A first submission after it is late."""
    closes_on = data_return.cycle.closes_on
    if data_return.grace_until and data_return.grace_until > closes_on:
        return data_return.grace_until
    return closes_on


def return_editable_until(data_return: DataReturn) -> dt.date:
    """The last day the return may be changed: its deadline, or a later staff reopen."""
    deadline = return_deadline(data_return)
    if data_return.reopened_until and data_return.reopened_until > deadline:
        return data_return.reopened_until
    return deadline


def return_is_editable(data_return: DataReturn, *, today: dt.date | None = None) -> bool:
    """Changes are accepted while the cycle is open up to the deadline, or, after closing,
    until a grace date or staff reopen. Never once the report is published, and never
    after the figures were erased."""
    today = today or timezone.localdate()
    cycle = data_return.cycle
    if data_return.figures_erased_at is not None or cycle.status in (
        CycleStatus.DRAFT,
        CycleStatus.PUBLISHED,
    ):
        return False
    if cycle.status == CycleStatus.CLOSED and not (
        data_return.reopened_until or data_return.grace_until
    ):
        return False
    return cycle.opens_on <= today <= return_editable_until(data_return)


def return_would_be_late(data_return: DataReturn, *, today: dt.date | None = None) -> bool:
    """Whether a submission today would be late (only the first submission counts)."""
    if data_return.first_submitted_at is not None:
        return data_return.is_late
    return (today or timezone.localdate()) > return_deadline(data_return)


# ---- reads used by the writes ----------------------------------------------------------------


def return_get_or_start(*, cycle: ReportingCycle, organisation: Organisation) -> DataReturn:
    """The organisation's one return for the cycle, created empty the first time it is asked for
    (concurrent first visits get the same row: the unique constraint decides)."""
    data_return, _ = DataReturn.objects.select_related("cycle", "organisation").get_or_create(
        cycle=cycle, organisation=organisation
    )
    return data_return


def previous_figures(data_return: DataReturn) -> dict | None:
    """The figures of the organisation's latest submitted revision in an earlier cycle, for
    the plausibility warnings (None when it has none, or they were erased)."""
    revision = (
        ReturnRevision.objects.filter(
            data_return__organisation_id=data_return.organisation_id,
            data_return__cycle__year__lt=data_return.cycle.year,
            erased_at__isnull=True,
        )
        .order_by("-data_return__cycle__year", "-number")
        .first()
    )
    return revision.figures() if revision else None


def return_warnings(data_return: DataReturn, figures: dict) -> list[rules.Problem]:
    return rules.figures_warnings(
        figures,
        previous=previous_figures(data_return),
        size_band=data_return.organisation.size_band,
    )


def return_errors(data_return: DataReturn, figures: dict) -> list[rules.Problem]:
    cycle = data_return.cycle
    return rules.figures_errors(
        figures, window_starts_on=cycle.window_starts_on, window_ends_on=cycle.window_ends_on
    )


def figure_label(name: str) -> str:
    return str(DataReturn._meta.get_field(name).verbose_name)


def figures_changes(before: dict, after: dict) -> list[dict]:
    """[{field, label, before, after}] for every figure that differs."""
    return [
        {
            "field": name,
            "label": figure_label(name),
            "before": _json(before.get(name)),
            "after": _json(after.get(name)),
        }
        for name in FIGURE_FIELDS
        if before.get(name) != after.get(name)
    ]


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _clean(figures: dict) -> dict:
    unknown = set(figures) - set(FIGURE_FIELDS)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    return {name: figures.get(name, _default(name)) for name in FIGURE_FIELDS}


def _default(name: str):
    if name.endswith("_collected"):
        return name == "ethnicity_collected"
    return None


# ---- writes ----------------------------------------------------------------------------------


def return_save_draft(*, data_return: DataReturn, by, figures: dict, version: int) -> DataReturn:
    """Save the shared draft without submitting it, if nobody saved since ``version``.

    Incomplete or inconsistent figures may be saved (the page lists what is still missing);
    only whole numbers are required, which the form checks. The submitted revisions are not
    touched: the draft of a submitted return is the next amendment.
    """
    figures = _clean(figures)
    with transaction.atomic():
        current = (
            DataReturn.objects.select_for_update().select_related("cycle").get(pk=data_return.pk)
        )
        if not return_is_editable(current):
            raise ServiceError("This return can no longer be changed.")
        if current.version != version:
            raise _conflict(current, opened=data_return, version=version)
        if current.figures() == figures:
            return current
        DataReturn.objects.filter(pk=current.pk).update(
            **figures, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
        )
    data_return.refresh_from_db()
    return data_return


def _conflict(current: DataReturn, *, opened: DataReturn, version: int) -> ReturnConflict:
    return ReturnConflict(
        "Someone else saved this return after you opened it, so your changes were not saved. "
        "Their changes are shown below; your figures are still in the form: check them against "
        "theirs and save again.",
        current=current,
        changes=figures_changes(opened.figures(), current.figures()),
    )


def return_submit(
    *,
    data_return: DataReturn,
    by,
    figures: dict,
    version: int,
    notes: dict[str, str] | None = None,
    late_reason: str = "",
    retention: str | None = None,
) -> ReturnRevision:
    """Submit (or amend) the return: validate, check each warning has a note, and record a
    revision. ``notes`` maps a warning code to the submitter's confirmation or explanation;
    nothing is written when anything is refused."""
    figures = _clean(figures)
    notes = {code: note.strip() for code, note in (notes or {}).items() if note and note.strip()}
    with transaction.atomic():
        current = (
            DataReturn.objects.select_for_update()
            .select_related("cycle", "organisation")
            .get(pk=data_return.pk)
        )
        if not return_is_editable(current):
            raise ServiceError("This return can no longer be changed.")
        if current.version != version:
            raise _conflict(current, opened=data_return, version=version)
        latest = current.revisions.order_by("-number").first() if current.is_submitted else None
        if latest is not None and latest.figures() == figures:
            raise ServiceError("Nothing has changed since your last submission.")
        errors = return_errors(current, figures)
        if errors:
            raise ReturnInvalid(
                "The return was not submitted: correct the figures shown.", problems=errors
            )
        warnings = return_warnings(current, figures)
        unconfirmed = [w for w in warnings if w.code not in notes]
        if unconfirmed:
            raise WarningsUnconfirmed(
                "Some figures look unusual: confirm each one or explain it, then submit again.",
                warnings=unconfirmed,
            )
        late = return_would_be_late(current)
        if late and current.first_submitted_at is None and not late_reason.strip():
            raise LateReasonMissing("This return is late: say why before you submit it.")
        revision = revision_record(
            data_return=current,
            by=by,
            figures=figures,
            warnings=[_warning_dict(w, notes.get(w.code, "")) for w in warnings],
            is_late=late,
            late_reason=late_reason.strip(),
            retention=retention or current.retention,
            source=RevisionSource.FORM,
        )
        # Queued inside the transaction: it leaves only once the revision is committed.
        # Imports (which also call revision_record) send no receipt.
        receipt_email_queue(revision)
        return revision


def _warning_dict(warning: rules.Problem, note: str) -> dict:
    return {
        "field": warning.field,
        "code": warning.code,
        "message": warning.message,
        "note": note,
    }


def revision_record(
    *,
    data_return: DataReturn,
    by,
    figures: dict,
    warnings: list[dict],
    is_late: bool,
    late_reason: str = "",
    retention: str = "keep",
    source: str = RevisionSource.FORM,
    submitted_at: dt.datetime | None = None,
) -> ReturnRevision:
    """Record ``figures`` as the return's next revision and make them its current figures.

    The caller holds a row lock on ``data_return`` (select_for_update) and has validated the
    figures. Warnings send the return to the outlier queue again; an amendment answers any
    open staff query. Returns the new revision.
    """
    figures = _clean(figures)
    now = submitted_at or timezone.now()
    previous = data_return.revisions.order_by("-number").first()
    number = data_return.revision_count + 1
    revision = ReturnRevision.objects.create(
        data_return=data_return,
        number=number,
        submitted_by=by,
        submitted_at=now,
        source=source,
        is_late=is_late,
        late_reason=late_reason if data_return.first_submitted_at is None else "",
        retention=retention,
        warnings=warnings,
        changes=figures_changes(previous.figures(), figures) if previous else [],
        **figures,
    )
    first = data_return.first_submitted_at is None
    DataReturn.objects.filter(pk=data_return.pk).update(
        **figures,
        status=ReturnStatus.SUBMITTED,
        version=F("version") + 1,
        revision_count=number,
        submitted_at=now,
        submitted_by=by,
        first_submitted_at=now if first else data_return.first_submitted_at,
        is_late=is_late if first else data_return.is_late,
        late_reason=late_reason if first else data_return.late_reason,
        retention=retention,
        warnings=warnings,
        outlier_status=OutlierStatus.WAITING if warnings else OutlierStatus.NONE,
        updated_by=by,
        updated_at=now,
    )
    ReturnQuery.objects.filter(data_return=data_return, answered_at__isnull=True).update(
        answered_at=now, answered_by=by, answered_by_revision=number
    )
    data_return.refresh_from_db()
    revision.data_return = data_return
    return revision


def return_set_retention(*, data_return: DataReturn, by, retention: str) -> DataReturn:
    """Change the keep-or-delete choice until the report is published."""
    if data_return.cycle.status == CycleStatus.PUBLISHED:
        raise ServiceError("The report is published: the choice was carried out.")
    DataReturn.objects.filter(pk=data_return.pk).update(
        retention=retention, updated_by=by, updated_at=timezone.now()
    )
    data_return.refresh_from_db()
    return data_return
