"""Celery tasks of the pledges app: each loads ids and calls one service (STYLE.md)."""

from __future__ import annotations

from celery import shared_task

from pledges.models import DeliveryState
from pledges.services.reminders.delivery import (
    delivery_send,
    retry_countdown,
)
from pledges.services.reminders.sweep import reminders_send_due


@shared_task
def reminders_sweep() -> dict:
    """Celery beat, every 5 minutes: claim and queue every reminder due now."""
    result = reminders_send_due()
    return {"claimed": result.claimed, "deliveries": result.deliveries, "requeued": result.requeued}


# acks_late + reject_on_worker_lost: a worker killed mid-task leaves the message on the queue to
# run again (delivery_send's conditional update makes a second run harmless). Retries are ours,
# with no limit here: delivery_send counts attempts and ends the delivery as failed at
# REMINDER_MAX_ATTEMPTS, which then returns "failed" and stops the chain.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def reminder_deliver(self, delivery_id: int) -> str:
    state = delivery_send(delivery_id=delivery_id)
    # Inline (no broker: development, tests) Celery cannot schedule a retry for later, and
    # raises it instead; try again at once until delivery_send says sent, skipped or failed.
    while state == DeliveryState.QUEUED and self.request.is_eager:
        state = delivery_send(delivery_id=delivery_id)
    if state == DeliveryState.QUEUED:
        from pledges.models import ReminderDelivery

        attempts = (
            ReminderDelivery.objects.filter(pk=delivery_id)
            .values_list("attempts", flat=True)
            .first()
            or 1
        )
        raise self.retry(countdown=retry_countdown(attempts))
    return state
