"""Email through Celery: queued only after commit, carried by Redis, sent by a real worker process.

The worker runs as a subprocess on a queue of its own, so it can never take work meant for
another worker sharing the same Redis, and writes email with Django's file backend: a file in
this test's directory is proof that the separate process did the sending.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from charter.celery import app as celery_app
from charter.emails import email_queue
from charter.tasks import send_email

pytestmark = pytest.mark.worker

STARTUP_TIMEOUT = 30
DELIVERY_TIMEOUT = 30
MESSAGE_SEPARATOR = "\n" + "-" * 79 + "\n"


def database_url_of_this_run() -> str | None:
    """The database this test run uses (pytest-django's test_ copy on PostgreSQL), so that a task
    reading rows sees what a transactional test committed, and never the development data."""
    if connection.vendor != "postgresql":
        return None  # SQLite test databases live in memory: nothing another process can open
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    host = database["HOST"] or "localhost"
    return f"postgres://{user}{password}@{host}{port}/{quote(database['NAME'], safe='')}"


class Worker:
    def __init__(self, *, queue: str, broker_url: str, mail_dir: Path, log_path: Path):
        self.queue = queue
        self.broker_url = broker_url
        self.mail_dir = mail_dir
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> None:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "charter.settings",
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
        }
        if database_url := database_url_of_this_run():
            environment["DATABASE_URL"] = database_url
        celery = Path(sys.executable).parent / "celery"
        with self.log_path.open("wb") as log:
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
                    f"{self.queue}@%h",
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
            if " ready." in self.log():
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

    def wait_for_emails(self, count: int = 1) -> list[email.message.Message]:
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while time.monotonic() < deadline:
            # The file backend ends each message with a line of dashes: a file without it is
            # still being written.
            written = [
                text.rsplit(MESSAGE_SEPARATOR, 1)[0]
                for text in self.email_files()
                if text.endswith(MESSAGE_SEPARATOR)
            ]
            if len(written) >= count:
                return [email.message_from_string(text) for text in written]
            if self.process.poll() is not None:
                pytest.fail(f"the Celery worker died:\n{self.log()}")
            time.sleep(0.1)
        pytest.fail(f"no email from the worker after {DELIVERY_TIMEOUT} s:\n{self.log()}")

    def email_files(self) -> list[str]:
        if not self.mail_dir.exists():
            return []
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]


@pytest.fixture
def worker(require_redis, tmp_path, django_db_setup):
    queue = f"charter-test-{uuid.uuid4().hex[:12]}"
    running = Worker(
        queue=queue,
        broker_url=require_redis,
        mail_dir=tmp_path / "mail",
        log_path=tmp_path / "worker.log",
    )
    try:
        running.start()
    except BaseException:  # pytest.fail included: never leave a half-started worker behind
        running.stop()
        raise
    # Send through Redis for this test (tests/conftest.py puts eager mode back afterwards).
    celery_app.conf.task_always_eager = False
    yield running
    exit_code = running.stop()
    # Leave nothing behind in a Redis that other runs share: the queue and kombu's bindings.
    broker = redis.Redis.from_url(require_redis)
    for key in broker.scan_iter(match=f"*{queue}*"):
        broker.delete(key)
    assert exit_code == 0, running.log()


def test_it_has_a_real_worker_send_an_email_queued_through_redis(worker):
    send_email.apply_async(
        kwargs={
            "to": ["alice@acme.example"],
            "subject": "Your application was received",
            "body": "Thank you for applying to sign the charter.",
            "from_email": settings.DEFAULT_FROM_EMAIL,
        },
        queue=worker.queue,
    )

    [message] = worker.wait_for_emails()

    assert message["Subject"] == "Your application was received"
    assert message["To"] == "alice@acme.example"
    assert "Thank you for applying to sign the charter." in message.get_payload()
    # Sent by the other process: nothing reached this process's outbox.
    assert mail.outbox == []
    assert "charter.tasks.send_email" in worker.log()
    assert "succeeded" in worker.log()


@pytest.mark.django_db
def test_it_has_the_worker_send_a_password_reset_requested_on_the_website(
    worker, client, alice, django_capture_on_commit_callbacks
):
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = worker.queue
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/password/reset/", {"email": "alice@acme.example"})
    finally:
        celery_app.conf.task_default_queue = previous_queue

    assert response.status_code == 302
    [message] = worker.wait_for_emails()
    assert message["To"] == "alice@acme.example"
    assert message["Subject"].startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    body = (
        message.get_payload()[0].get_payload() if message.is_multipart() else message.get_payload()
    )
    assert "/accounts/password/reset/key/" in body
    assert mail.outbox == []


# --- Queued only after commit -----------------------------------------------------------------


@pytest.mark.django_db
def test_it_queues_an_email_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_queue(to=["bob@acme.example"], subject="Welcome", body="Hello Bob.")

        assert mail.outbox == []

    # The test's transaction never commits: the send is still waiting as a callback.
    assert len(callbacks) == 1
    assert mail.outbox == []

    callbacks[0]()

    assert [message.subject for message in mail.outbox] == ["Welcome"]
    assert mail.outbox[0].to == ["bob@acme.example"]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL


@pytest.mark.django_db
def test_it_never_sends_an_email_whose_transaction_rolled_back(django_capture_on_commit_callbacks):
    class ApprovalFailed(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ApprovalFailed),
        transaction.atomic(),
    ):
        email_queue(to=["bob@acme.example"], subject="Approved", body="Approved.")
        raise ApprovalFailed

    assert callbacks == []
    assert mail.outbox == []
