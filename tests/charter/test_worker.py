"""Email through Celery: queued only after commit, carried by Redis, sent by a real worker process.

The worker runs as a subprocess on a queue of its own, so it can never take work meant for
another worker sharing the same Redis, and writes email with Django's file backend: a file in
this test's directory is proof that the separate process did the sending.
"""

from __future__ import annotations

import email
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from charter.emails import email_queue
from charter.tasks import send_email
from tests.celery_worker import Worker

pytestmark = pytest.mark.worker

DELIVERY_TIMEOUT = 30
MESSAGE_SEPARATOR = "\n" + "-" * 79 + "\n"


class FileMailWorker:
    """A real worker writing email with Django's file backend: a file in this test's directory
    is proof that the separate process did the sending."""

    def __init__(self, worker: Worker, mail_dir: Path):
        self.worker = worker
        self.queue = worker.queue
        self.mail_dir = mail_dir

    def log(self) -> str:
        return self.worker.log()

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
            if not self.worker.is_running():
                pytest.fail(f"the Celery worker died:\n{self.log()}")
            time.sleep(0.1)
        pytest.fail(f"no email from the worker after {DELIVERY_TIMEOUT} s:\n{self.log()}")

    def email_files(self) -> list[str]:
        if not self.mail_dir.exists():
            return []
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]


@pytest.fixture
def worker(start_worker, tmp_path):
    mail_dir = tmp_path / "mail"
    running = start_worker(
        environment={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    )
    return FileMailWorker(running, mail_dir)


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
    # The start_worker fixture sends tasks nobody routes to this test's queue.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "alice@acme.example"})

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
