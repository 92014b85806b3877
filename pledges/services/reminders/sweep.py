"""The sweep: work out what is due now, claim it exactly once, and queue one email per person.

``reminders_send_due`` is what the beat task and ``manage.py reminders_send_due`` both run.

1. Requeue what a dead worker or a lost broker message left behind: deliveries ``sending`` for
   more than ``STALE_AFTER`` (the worker died mid-send; acks_late re-delivers the task too, but
   the task leaves a ``sending`` delivery alone, so only this rule picks it up, once) and
   ``queued`` ones untouched for as long (the task message never arrived).
2. Compute every due candidate in a fixed number of queries (candidates.py).
3. Claim them in ONE ``INSERT … ON CONFLICT DO NOTHING RETURNING`` statement: the unique
   constraint on (kind, subject, step, recipient) means a claim that exists, written by this
   sweep or another running at the same moment, is never sent again. Rows go in sorted, so two
   sweeps inserting the same keys lock them in the same order and cannot deadlock: the second
   waits for the first to commit and then skips them.
4. Group the NEW claims by (kind, step, recipient): one email per person per step, listing all
   their organisations. Create the deliveries and link the claims.
5. Queue one ``reminder_deliver`` task per delivery once the transaction commits.

A dry run does all of this inside a transaction that is rolled back (its tasks are never queued),
so what it reports is exactly what a real run would claim, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from pledges.models import DeliveryState, ReminderClaim, ReminderDelivery
from pledges.services.reminders.candidates import Candidate, Candidates, candidates_due
from pledges.services.reminders.schedule import step_label

# A delivery left "sending" (or "queued" with no task) this long is picked up again. Longer than
# any send takes (the SMTP timeout is far shorter), shorter than anyone would wait for a reminder.
STALE_AFTER = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class PlannedEmail:
    kind: str
    step: str
    recipient: str
    organisations: list[str]

    @property
    def step_label(self) -> str:
        return step_label(self.step)


@dataclass
class SweepResult:
    claimed: int = 0
    deliveries: int = 0
    requeued: int = 0
    planned: list[PlannedEmail] = field(default_factory=list)


class _DryRunRollback(Exception):
    pass


def reminders_send_due(*, at: dt.datetime | None = None, dry_run: bool = False) -> SweepResult:
    """Claim and queue everything due at ``at`` (default now). See the module docstring."""
    at = at or timezone.now()
    result = SweepResult()
    try:
        with transaction.atomic():
            result.requeued, requeued_ids = _requeue_stale(at=at)
            found = candidates_due(at=at)
            claims = _claim(sorted(found.items), at=at)
            result.claimed = len(claims)
            delivery_ids, result.planned = _deliveries_create(claims, at=at, names=found.names)
            result.deliveries = len(delivery_ids)
            if dry_run:
                raise _DryRunRollback
            transaction.on_commit(lambda: _queue(requeued_ids + delivery_ids))
    except _DryRunRollback:
        pass
    return result


def _queue(delivery_ids: list[int]) -> None:
    from pledges.tasks import reminder_deliver

    if reminder_deliver.app.conf.task_always_eager:  # no broker: each runs inline
        for delivery_id in delivery_ids:
            reminder_deliver.delay(delivery_id)
        return
    # One Redis pipeline per 1,000 messages instead of a round trip each: one push per email
    # was most of the sweep's time at 10,000 organisations (bench/reminders.py: about 5 times
    # faster). kombu's Producer.batch flushes on leaving the block and discards what it holds
    # if queueing fails half-way; the sweep's requeue rule then picks those deliveries up.
    with reminder_deliver.app.producer_or_acquire() as producer, producer.batch():
        for delivery_id in delivery_ids:
            reminder_deliver.apply_async((delivery_id,), producer=producer)


def _requeue_stale(*, at: dt.datetime) -> tuple[int, list[int]]:
    """Deliveries a dead worker or a lost message left behind, queued again (``sending_since``
    is reset to now so a delivery is requeued at most once per STALE_AFTER). A worker that died
    during the last allowed attempt leaves a failed delivery instead."""
    cutoff = at - STALE_AFTER
    stale = ReminderDelivery.objects.filter(
        Q(state=DeliveryState.SENDING, sending_since__lt=cutoff)
        | Q(state=DeliveryState.QUEUED)
        & Q(Q(sending_since__lt=cutoff) | Q(sending_since=None, claimed_at__lt=cutoff))
    )
    rows = list(stale.select_for_update(skip_locked=True).values_list("id", "state", "attempts"))
    # A worker that died during the last allowed attempt used it up; a queued delivery whose
    # message was lost has not started its attempt (a staff retry may be past the maximum).
    exhausted = {
        pk
        for pk, state, attempts in rows
        if state == DeliveryState.SENDING and attempts >= settings.REMINDER_MAX_ATTEMPTS
    }
    again = sorted(pk for pk, _state, _attempts in rows if pk not in exhausted)
    if exhausted:
        ReminderDelivery.objects.filter(pk__in=exhausted).update(
            state=DeliveryState.FAILED,
            finished_at=at,
            last_error="The worker stopped during the last attempt (no answer after 15 minutes).",
        )
    if again:
        ReminderDelivery.objects.filter(pk__in=again).update(
            state=DeliveryState.QUEUED, sending_since=at
        )
    return len(again), again


@dataclass(frozen=True)
class _NewClaim:
    id: int
    candidate: Candidate


def _claim(candidates: list[Candidate], *, at: dt.datetime) -> list[_NewClaim]:
    if not candidates:
        return []
    if connection.vendor != "postgresql":
        return _claim_one_by_one(candidates, at=at)
    table = ReminderClaim._meta.db_table
    # One array per column, in the same (sorted) order: unnest zips them back into rows.
    columns = [
        [getattr(candidate, name) for candidate in candidates]
        for name in ("kind", "subject", "step", "recipient", "organisation_id", "cycle_id")
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (kind, subject, step, recipient, organisation_id, cycle_id, claimed_at)
            SELECT kind, subject, step, recipient, organisation_id, cycle_id, %s
            FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[],
                        %s::bigint[], %s::bigint[])
                 WITH ORDINALITY AS candidate(kind, subject, step, recipient, organisation_id,
                                              cycle_id, position)
            ORDER BY position
            ON CONFLICT (kind, subject, step, recipient) DO NOTHING
            RETURNING id, kind, subject, step, recipient, organisation_id, cycle_id
            """,
            [at, *columns],
        )
        return [_NewClaim(row[0], Candidate(*row[1:])) for row in cursor.fetchall()]


def _claim_one_by_one(candidates: list[Candidate], *, at: dt.datetime) -> list[_NewClaim]:
    # SQLite (a fresh checkout): no array types, so one savepoint per claim. Correct, not fast.
    new = []
    for candidate in candidates:
        try:
            with transaction.atomic():
                claim = ReminderClaim.objects.create(
                    kind=candidate.kind,
                    subject=candidate.subject,
                    step=candidate.step,
                    recipient=candidate.recipient,
                    organisation_id=candidate.organisation_id,
                    cycle_id=candidate.cycle_id,
                    claimed_at=at,
                )
        except IntegrityError:
            continue
        new.append(_NewClaim(claim.pk, candidate))
    return new


def _deliveries_create(
    claims: list[_NewClaim], *, at: dt.datetime, names: dict[int, str]
) -> tuple[list[int], list[PlannedEmail]]:
    """One delivery per (kind, step, recipient) among the new claims, linked to its claims."""
    groups: dict[tuple[str, str, str], list[_NewClaim]] = defaultdict(list)
    for claim in claims:
        candidate = claim.candidate
        groups[candidate.kind, candidate.step, candidate.recipient].append(claim)
    if not groups:
        return [], []
    keys = sorted(groups)
    delivery_ids = _deliveries_insert(keys, at=at)
    claim_ids, delivery_of_claim = [], []
    planned = []
    for key in keys:
        group = groups[key]
        claim_ids += [claim.id for claim in group]
        delivery_of_claim += [delivery_ids[key]] * len(group)
        organisations = sorted(
            {names.get(claim.candidate.organisation_id, "") for claim in group} - {""}
        )
        planned.append(PlannedEmail(*key, organisations=organisations))
    _link(claim_ids, delivery_of_claim)
    return [delivery_ids[key] for key in keys], planned


def _deliveries_insert(
    keys: list[tuple[str, str, str]], *, at: dt.datetime
) -> dict[tuple[str, str, str], int]:
    """The new deliveries' ids by (kind, step, recipient). One statement on PostgreSQL (Django's
    bulk_create of 40,000 objects took most of a 10,000-organisation sweep)."""
    if connection.vendor != "postgresql":
        deliveries = ReminderDelivery.objects.bulk_create(
            ReminderDelivery(kind=kind, step=step, recipient=recipient, claimed_at=at)
            for kind, step, recipient in keys
        )
        return {key: delivery.pk for key, delivery in zip(keys, deliveries, strict=True)}
    table = ReminderDelivery._meta.db_table
    kinds, steps, recipients = (list(column) for column in zip(*keys, strict=True))
    with connection.cursor() as cursor:
        # The columns without a database default are all given; RETURNING carries the key back,
        # since the order of RETURNING rows is not promised.
        cursor.execute(
            f"""
            INSERT INTO {table}
                (kind, step, recipient, state, attempts, claimed_at, subject_line, last_error,
                 skipped_reason)
            SELECT kind, step, recipient, %s, 0, %s, '', '', ''
            FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[])
                 WITH ORDINALITY AS delivery(kind, step, recipient, position)
            ORDER BY position
            RETURNING id, kind, step, recipient
            """,
            [DeliveryState.QUEUED, at, kinds, steps, recipients],
        )
        return {(kind, step, recipient): pk for pk, kind, step, recipient in cursor.fetchall()}


def _link(claim_ids: list[int], delivery_ids: list[int]) -> None:
    if connection.vendor == "postgresql":
        table = ReminderClaim._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {table} SET delivery_id = link.delivery_id
                FROM unnest(%s::bigint[], %s::bigint[]) AS link(claim_id, delivery_id)
                WHERE {table}.id = link.claim_id
                """,
                [claim_ids, delivery_ids],
            )
        return
    by_delivery: dict[int, list[int]] = defaultdict(list)
    for claim_id, delivery_id in zip(claim_ids, delivery_ids, strict=True):
        by_delivery[delivery_id].append(claim_id)
    for delivery_id, ids in by_delivery.items():
        ReminderClaim.objects.filter(pk__in=ids).update(delivery_id=delivery_id)


def claims_send(found: Candidates, *, at: dt.datetime) -> SweepResult:
    """Claim, group and queue ``found`` outside the schedule, for an event that happened now
    (a report published): the same exactly-once claims and one email per person as the sweep,
    so announcing twice sends nothing new. Call it inside the transaction that made the event
    true, or after it committed; the tasks are queued once it commits."""
    result = SweepResult()
    with transaction.atomic():
        claims = _claim(sorted(found.items), at=at)
        result.claimed = len(claims)
        delivery_ids, result.planned = _deliveries_create(claims, at=at, names=found.names)
        result.deliveries = len(delivery_ids)
        transaction.on_commit(lambda: _queue(delivery_ids))
    return result
