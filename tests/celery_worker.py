"""A real Celery worker for tests: a ``celery worker`` subprocess on a queue of its own.

Its own queue means it can never take work meant for another worker sharing the same Redis.
It reads this test run's database (pytest-django's ``test_`` copy), so a task sees what a
transactional test committed and never the development data.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

STARTUP_TIMEOUT = 30


def database_url_of_this_run() -> str | None:
    """The database this test run uses, as a URL another process can open."""
    if connection.vendor != "postgresql":
        return None  # SQLite test databases live in memory: nothing another process can open
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    host = database["HOST"] or "localhost"
    return f"postgres://{user}{password}@{host}{port}/{quote(database['NAME'], safe='')}"


def charter_environment(*, broker_url: str, queue: str, extra: dict[str, str]) -> dict[str, str]:
    """The environment of a Charter process (worker or manage.py) that works on ``queue`` of
    ``broker_url`` against this test run's database."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "charter.settings",
        "CELERY_BROKER_URL": broker_url,
        # Whatever it queues (a sweep queues one task per email) stays on this test's queue.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **extra,
    }
    if database_url := database_url_of_this_run():
        environment["DATABASE_URL"] = database_url
    return environment


class Worker:
    def __init__(
        self,
        *,
        queue: str,
        broker_url: str,
        log_path: Path,
        name: str = "worker",
        environment: dict[str, str] | None = None,
    ):
        self.queue = queue
        self.broker_url = broker_url
        self.log_path = log_path
        self.name = name
        self.environment = environment or {}
        self.process: subprocess.Popen | None = None
        self.log_offset = 0

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> None:
        environment = charter_environment(
            broker_url=self.broker_url, queue=self.queue, extra=self.environment
        )
        celery = Path(sys.executable).parent / "celery"
        # A restarted worker appends to the same log; readiness is read from what it wrote.
        self.log_offset = len(self.log())
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(celery),
                    "-A",
                    "charter",
                    "worker",
                    "--pool=solo",
                    "--loglevel=info",
                    "-Q",
                    self.queue,
                    "--hostname",
                    f"{self.name}-{self.queue}@%h",
                    # Nothing to learn from other workers: start faster and stay quiet.
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"the Celery worker exited with {self.process.returncode}:\n{self.log()}"
                )
            if " ready." in self.log()[self.log_offset :]:
                return
            time.sleep(0.1)
        pytest.fail(f"the Celery worker was not ready after {STARTUP_TIMEOUT} s:\n{self.log()}")

    def stop(self) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        # SIGTERM is Celery's warm shutdown: finish the current task, then exit.
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the Celery worker ignored SIGTERM for 20 s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing cleaned up (an OOM kill)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def forget_queue(*, broker_url: str, queue: str) -> None:
    """Leave nothing behind in a Redis that other runs share: the queue, kombu's bindings, and
    the unacknowledged messages of a killed worker (Redis would put them back on the queue an
    hour later, the visibility timeout)."""
    broker = redis.Redis.from_url(broker_url)
    for key in broker.scan_iter(match=f"*{queue}*"):
        broker.delete(key)
    for tag, value in broker.hscan_iter("unacked"):
        _message, _exchange, routing_key = json.loads(value)
        if routing_key == queue:
            broker.hdel("unacked", tag)
            broker.zrem("unacked_index", tag)
