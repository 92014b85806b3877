"""Staff pause every reminder to one organisation (a dispute, a merger, a wrong address), and
resume them. A pause is a stop condition of the sweep; while it lasts nothing new is claimed.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from pledges.models import ReminderPause
from signatories.models import Organisation


class PauseRefused(ValueError):
    pass


def reminders_paused(organisation: Organisation) -> ReminderPause | None:
    return ReminderPause.objects.filter(organisation=organisation, resumed_at=None).first()


def reminders_pause(*, organisation: Organisation, by, reason: str) -> ReminderPause:
    reason = reason.strip()
    if not reason:
        raise PauseRefused("Say why reminders are paused: the organisation's staff page shows it.")
    try:
        with transaction.atomic():
            return ReminderPause.objects.create(
                organisation=organisation, reason=reason, paused_by=by, paused_at=timezone.now()
            )
    except IntegrityError as error:
        raise PauseRefused("Reminders to this organisation are already paused.") from error


def reminders_resume(*, organisation: Organisation, by) -> ReminderPause:
    with transaction.atomic():
        pause = (
            ReminderPause.objects.select_for_update()
            .filter(organisation=organisation, resumed_at=None)
            .first()
        )
        if pause is None:
            raise PauseRefused("Reminders to this organisation are not paused.")
        pause.resumed_at = timezone.now()
        pause.resumed_by = by
        pause.save(update_fields=["resumed_at", "resumed_by"])
        return pause
