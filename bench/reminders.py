"""Benchmark the reminder sweep (issue 12): claiming and queueing everything due, and sending it.

    .venv/bin/python bench/reminders.py [--organisations 10000] [--small 1000]
                                        [--send-seconds 20] [--keep]

``BENCH_DATABASE`` (default ``charter_bench_reminders``) names its databases and
``BENCH_REDIS_URL`` (default Redis database 11) its cache and broker, so that it can run beside
the other benches or another person's on one machine (a test run's cache in the same Redis
database would flush the queue away). Its Celery queue is its own. ``BENCH_WORKER_LOGLEVEL``
(default WARNING) is the worker's log level; its log is printed if it sends nothing.

What it does, all on this machine and against 127.0.0.1 only:

1. for ``--small`` and then ``--organisations`` organisations, a fresh PostgreSQL database,
   migrated and seeded with ``manage.py seed_demo --organisations N --seed 1`` (its open cycle
   closes five weeks after today, every organisation has a data contact, some have admins);
2. in a fresh process on each database, one sweep (``reminders_send_due``) at 09:00 on the first
   day from today on which a step of the open cycle's schedule falls, the way beat runs it:
   claims inserted, deliveries written and one task per email pushed to Redis. It prints the
   time to claim and queue everything (goal <= 10 s at 10,000), split into claiming (the
   sweep's transaction) and queueing (one Redis push per email once it commits), and its SQL
   queries, which must
   not grow with the number of organisations (goal: the same count at both sizes); then a
   second sweep at the same moment, which finds everything claimed: the sweep's fixed cost, as
   the baseline;
3. a local SMTP server (aiosmtpd, in this process) and, as the baseline, one process sending
   plain messages to it with Django's SMTP backend; then a real Celery worker (prefork, 2
   processes, as in docker-compose.yml) draining the 10,000 sweep's queue to that server for
   ``--send-seconds``: its sends per second, counted at the server, and the ratio to the
   baseline. What it has not sent by then is dropped from the queue.

Figures vary from machine to machine and with what else runs on it: compare the ratios and the
query counts in one run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

# Ours, not the directory bench's, unless the caller chose: read by bench/directory.py on import.
os.environ.setdefault("BENCH_DATABASE", "charter_bench_reminders")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")

from directory import (  # bench/ is the script's directory: sys.path[0]
    BENCH_REDIS,
    DATABASE,
    PYTHON,
    ROOT,
    admin_sql,
    bench_environment,
    redis_answers,
    seed_database,
    vacuum_analyze,
)

sys.path.insert(1, str(ROOT))
# ROOT on the path: the SMTP server and the queue clean-up the tests use.
from tests.celery_worker import forget_queue
from tests.smtp_server import SmtpServer

SWEEP_GOAL_S = 10
BASELINE_MESSAGES = 300
WORKER_STARTUP_TIMEOUT = 60

SWEEP_PROBE = r"""
import datetime as dt, json, time
from collections import Counter
from zoneinfo import ZoneInfo
import django
django.setup()
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pledges.models import ReminderClaim, ReminderDelivery, ReportingCycle
from pledges.services.reminders.sweep import reminders_send_due

london = ZoneInfo("Europe/London")
today = dt.datetime.now(london).date()
cycle = ReportingCycle.objects.get(status="open")
step_days = sorted(
    cycle.closes_on - dt.timedelta(days=days) for days in cycle.reminder_days_before
)
due_on = next(day for day in step_days if day >= today)
at = dt.datetime.combine(due_on, dt.time(9), tzinfo=london)

out = {"at": at.isoformat()}
for name in ("first", "again"):
    with CaptureQueriesContext(connection) as queries:
        # Inside an outer transaction so that the queueing, which the sweep does once its
        # transaction commits, is timed apart: it runs when this block commits.
        with transaction.atomic():
            started = time.perf_counter()
            reminders_send_due(at=at)
            claimed = time.perf_counter()
        seconds = time.perf_counter() - started
    out[name] = {
        "seconds": seconds,
        "claim_seconds": claimed - started,
        "queries": len(queries.captured_queries),
    }
out["claims"] = ReminderClaim.objects.count()
out["deliveries"] = ReminderDelivery.objects.count()
out["by_kind"] = dict(Counter(ReminderDelivery.objects.values_list("kind", flat=True)))
out["recipients"] = ReminderDelivery.objects.values("recipient").distinct().count()
print(json.dumps(out))
"""

# The ceiling for the worker: the same SMTP backend and server, no Celery, no database.
SEND_PROBE = r"""
import json, sys, time
import django
django.setup()
from django.core.mail import EmailMultiAlternatives

count = int(sys.argv[1])
started = time.perf_counter()
for number in range(count):
    message = EmailMultiAlternatives(
        subject=f"Baseline {number}", body="Plain text.", to=[f"baseline{number}@bench.example"]
    )
    message.attach_alternative("<p>HTML.</p>", "text/html")
    message.send()  # one connection per message, as each reminder task opens its own
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def probe(script: str, environment: dict[str, str], *arguments: str) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", script, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"bench: a probe failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_worker(environment: dict[str, str], log_path: Path) -> subprocess.Popen:
    """A Celery worker as compose runs it (prefork, 2 processes) on the bench's queue."""
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "charter",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                os.environ.get("BENCH_WORKER_LOGLEVEL", "WARNING"),
                "-Q",
                environment["CELERY_TASK_DEFAULT_QUEUE"],
                "--hostname",
                f"bench-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return worker


def database_name(size: int, largest: int) -> str:
    return DATABASE if size == largest else f"{DATABASE}_{size}"


def sweep_part(database: str, size: int, environment: dict[str, str]) -> dict:
    print(f"bench: database {database}, seed_demo of {size:,} organisations")
    seeded = seed_database(database, size, environment)
    vacuum_analyze(seeded["DATABASE_URL"])
    # A queue of this size's own: the worker only ever drains the largest sweep's.
    seeded["CELERY_TASK_DEFAULT_QUEUE"] = f"bench-reminders-{size}-{uuid.uuid4().hex[:8]}"
    figures = probe(SWEEP_PROBE, seeded)
    figures["environment"] = seeded
    return figures


def send_part(environment: dict[str, str], figures: dict, args, var_dir: Path) -> None:
    queue = environment["CELERY_TASK_DEFAULT_QUEUE"]
    with SmtpServer() as smtp:
        sending = {**environment, **smtp.email_settings()}
        baseline = probe(SEND_PROBE, sending, str(BASELINE_MESSAGES))
        baseline_rate = BASELINE_MESSAGES / baseline["seconds"]
        already = len(smtp.messages)
        log_path = var_dir / "worker.log"
        worker = start_worker(sending, log_path)
        try:
            deadline = time.monotonic() + WORKER_STARTUP_TIMEOUT
            while len(smtp.messages) == already:
                if worker.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"bench: the worker sent nothing:\n{log_path.read_text()[-4000:]}")
                time.sleep(0.01)
            # From the first message on: the worker's start-up is not its sending rate.
            first = time.perf_counter()
            counted_from = len(smtp.messages)
            target = figures["deliveries"]
            while (
                len(smtp.messages) - already < target
                and time.perf_counter() - first < args.send_seconds
            ):
                time.sleep(0.05)
            seconds = time.perf_counter() - first
            sent = len(smtp.messages) - counted_from
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        forget_queue(broker_url=environment["CELERY_BROKER_URL"], queue=queue)
    rate = sent / seconds
    from_worker = smtp.messages[already:]
    with_header = sum(1 for message in from_worker if message.delivery_id)
    print(
        f"\nsending to a local SMTP server (aiosmtpd), {os.cpu_count()} CPUs shared by "
        "worker, database, Redis and server:"
    )
    print(
        f"  baseline: one process, Django SMTP backend, {BASELINE_MESSAGES} plain messages: "
        f"{baseline_rate:.0f} messages/s"
    )
    print(
        f"  real worker (prefork x 2) draining the sweep's queue: {sent:,} emails in "
        f"{seconds:.1f} s = {rate:.0f} sends/s ({rate / baseline_rate:.2f} of the baseline; "
        f"{with_header:,} of the {len(from_worker):,} it sent carried X-Charter-Delivery)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument(
        "--small", type=int, default=1_000, help="the smaller size, to compare query counts"
    )
    parser.add_argument(
        "--send-seconds", type=float, default=20, help="how long the worker's sending is timed"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()
    sizes = sorted({args.small, args.organisations})
    largest = sizes[-1]
    if not redis_answers():
        sys.exit(f"bench: Redis at {BENCH_REDIS} does not answer: the sweep queues tasks there")

    var_dir = Path(tempfile.mkdtemp(prefix="charter-bench-reminders-"))
    environment = bench_environment(str(var_dir), use_redis=True)
    environment["CELERY_BROKER_URL"] = BENCH_REDIS
    results: dict[int, dict] = {}
    try:
        for size in sizes:
            results[size] = sweep_part(database_name(size, largest), size, environment)
            # Nothing drains the smaller sweep's queue.
            if size != largest:
                forget_queue(
                    broker_url=BENCH_REDIS,
                    queue=results[size]["environment"]["CELERY_TASK_DEFAULT_QUEUE"],
                )

        print(
            f"\nReminder sweep, seed_demo data, one sweep at {results[largest]['at']} "
            "(a step of the open cycle is due), in a fresh process:"
        )
        print(
            f"  {'organisations':>13}{'claims':>9}{'emails':>9}{'people':>9}"
            f"{'claim+queue s':>15}{'(claim s':>10}{'queue s)':>10}{'queries':>9}"
            f"   {'again s':>8}{'queries':>9}"
        )
        for size, row in results.items():
            first, again = row["first"], row["again"]
            print(
                f"  {size:>13,}{row['claims']:>9,}{row['deliveries']:>9,}"
                f"{row['recipients']:>9,}{first['seconds']:>15.2f}{first['claim_seconds']:>10.2f}"
                f"{first['seconds'] - first['claim_seconds']:>10.2f}{first['queries']:>9}"
                f"   {again['seconds']:>8.2f}{again['queries']:>9}"
            )
        figures = results[largest]
        print(f"  emails by kind at {largest:,}: {json.dumps(figures['by_kind'])}")
        print("  (again: a second sweep at the same moment finds everything claimed: baseline)")
        seconds = figures["first"]["seconds"]
        verdict = "met" if seconds <= SWEEP_GOAL_S else "NOT met"
        print(
            f"goal: claim and queue everything at {largest:,} organisations in <= "
            f"{SWEEP_GOAL_S} s: {seconds:.2f} s, {verdict}"
        )
        queue_seconds = figures["first"]["seconds"] - figures["first"]["claim_seconds"]
        print(
            f"  queueing at {largest:,}: {figures['deliveries'] / queue_seconds:,.0f} emails/s "
            "pushed to Redis, one Celery message each (the claiming alone: "
            f"{figures['first']['claim_seconds']:.2f} s)"
        )
        query_counts = {row["first"]["queries"] for row in results.values()}
        verdict = "met" if len(query_counts) == 1 else "NOT met"
        print(
            "goal: the same number of queries at every size: "
            + ", ".join(f"{size:,}: {row['first']['queries']}" for size, row in results.items())
            + f", {verdict}"
        )

        send_part(figures["environment"], figures, args, var_dir)
    finally:
        if not args.keep:
            for size in sizes:
                admin_sql(f"DROP DATABASE IF EXISTS {database_name(size, largest)}")
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
