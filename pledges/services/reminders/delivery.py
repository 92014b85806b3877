"""Sending one delivery (one email), exactly once in effect, and the staff's single retry.

The attempt is claimed with a conditional UPDATE (``queued → sending``): of two workers handed
the same delivery (a redelivered task, a requeue racing a slow broker), one updates a row and
sends, the other updates none and stops. A task that finds its delivery already ``sending`` was
redelivered after its worker died mid-send; it leaves it to the sweep's 15-minute rule
(sweep.STALE_AFTER) rather than guess whether the dead worker's email left.

The one window no database can close: the SMTP server accepted the message and the worker was
killed before the ``sent`` row committed. The sweep then sends it again after 15 minutes. The
Message-ID is the same on both copies (``<reminder-<id>@host>``) so mail clients and the SMTP
tests can recognise the duplicate; nothing is lost either way. Keeping the window small is why
nothing runs between ``send()`` and the commit.
"""

from __future__ import annotations

import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pledges.models import DeliveryState, ReminderDelivery
from pledges.services.reminders.checks import claims_still_due
from pledges.services.reminders.messages import message_render

SMTP_ERRORS = (smtplib.SMTPException, OSError)


class RetryRefused(ValueError):
    """Staff may retry a failed delivery once, and only a failed one."""


def retry_countdown(attempts: int) -> int:
    """Seconds before the next attempt: REMINDER_RETRY_BASE_SECONDS × 2^(attempts − 1)."""
    return settings.REMINDER_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def delivery_attempts(delivery_id: int) -> int:
    """How many attempts a delivery has had (for the task's backoff)."""
    attempts = ReminderDelivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True)
    return attempts.first() or 1


def message_id(delivery_id: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "charter.localhost"
    return f"<reminder-{delivery_id}@{host}>"


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery if it is queued; returns its state afterwards (``queued`` means an SMTP
    error put it back for a retry after ``retry_countdown(attempts)`` seconds)."""
    now = timezone.now()
    claimed = ReminderDelivery.objects.filter(pk=delivery_id, state=DeliveryState.QUEUED).update(
        state=DeliveryState.SENDING, attempts=F("attempts") + 1, sending_since=now
    )
    delivery = ReminderDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    if not claimed:
        return delivery.state  # another worker has it, or it is finished
    attempt = delivery.attempts
    # This attempt's row, for its outcome: still ours while no later attempt started. A sweep
    # may have put it back to queued meanwhile (an attempt slower than 15 minutes): recording
    # "sent" then still wins, so the queued copy finds it sent instead of sending it again.
    ours = ReminderDelivery.objects.filter(
        pk=delivery_id,
        state__in=[DeliveryState.SENDING, DeliveryState.QUEUED],
        attempts=attempt,
    )

    claims, reason = claims_still_due(delivery)
    if not claims:
        ours.update(state=DeliveryState.SKIPPED, skipped_reason=reason[:200], finished_at=now)
        return DeliveryState.SKIPPED

    try:
        rendered = message_render(delivery, claims=claims)
    except Exception as error:
        # A template or data bug does not mend itself with retries: fail at once, visibly, in
        # the delivery log (and the staff digest), rather than loop through the 15-minute rule.
        ours.update(
            state=DeliveryState.FAILED,
            last_error=f"Could not render the email: {type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.recipient],
        headers={
            "Message-ID": message_id(delivery.pk),
            "X-Charter-Delivery": str(delivery.pk),
            **rendered.headers,
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    try:
        message.send()
    except SMTP_ERRORS as error:
        text = f"Attempt {attempt}: {type(error).__name__}: {error}"[:2000]
        if attempt >= settings.REMINDER_MAX_ATTEMPTS:
            ours.update(state=DeliveryState.FAILED, last_error=text, finished_at=timezone.now())
            return DeliveryState.FAILED
        ours.update(state=DeliveryState.QUEUED, last_error=text)
        return DeliveryState.QUEUED
    finished = timezone.now()
    ours.update(
        state=DeliveryState.SENT,
        sent_at=finished,
        finished_at=finished,
        subject_line=rendered.subject[:300],
    )
    return DeliveryState.SENT


def delivery_retry(*, delivery: ReminderDelivery, by) -> ReminderDelivery:
    """Staff retry a failed delivery, once: it is queued again for one more attempt (the
    attempts already made stay counted, so a retry that fails again ends as failed at once)."""
    from pledges.tasks import reminder_deliver

    with transaction.atomic():
        now = timezone.now()
        updated = ReminderDelivery.objects.filter(
            pk=delivery.pk, state=DeliveryState.FAILED, retried_at=None
        ).update(
            state=DeliveryState.QUEUED,
            retried_at=now,
            retried_by=by,
            sending_since=now,
            finished_at=None,
        )
        if not updated:
            current = ReminderDelivery.objects.get(pk=delivery.pk)
            if current.state != DeliveryState.FAILED:
                state = current.get_state_display().lower()
                raise RetryRefused(f"Only a failed email can be retried; this one is {state}.")
            raise RetryRefused("This email was already retried once.")
        reminder_deliver.delay_on_commit(delivery.pk)
    delivery.refresh_from_db()
    return delivery
