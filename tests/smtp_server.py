"""A real SMTP server for tests and benchmarks: aiosmtpd on a free local port, recording mail.

Delivery is counted where it matters, at the server: a message counts once the server has
answered ``250`` to its DATA. A test can make the server refuse mail (a temporary ``451``, as a
mail server under load does) or hold the Nth message before answering, so that the worker
sending it can be killed while it waits; a held message whose client went away is never
recorded, exactly as a real server drops a transaction that was not completed.

Plain Python, no pytest: ``bench/reminders.py`` counts sends with it too.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

DELIVERY_HEADER = "X-Charter-Delivery"
TEMPORARY_FAILURE = "451 4.3.0 Temporarily unable to accept mail, try again later"


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def delivery_id(self) -> str | None:
        return self.message[DELIVERY_HEADER]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""


class RecordingHandler:
    """aiosmtpd's handler: records every accepted message; can refuse or hold one."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[ReceivedMessage] = []
        # Messages answered with the refusal, to count the attempts a sender made.
        self.refused: list[ReceivedMessage] = []
        # Messages whose client disconnected while the server held them.
        self.abandoned: list[ReceivedMessage] = []
        self.refusal: str | None = None
        self.hold_number: int | None = None
        self.arrivals = 0
        self.holding = threading.Event()
        self.released = threading.Event()
        self.held_connection = None

    async def handle_DATA(self, server, session, envelope) -> str:
        received = ReceivedMessage(
            mail_from=envelope.mail_from,
            recipients=tuple(envelope.rcpt_tos),
            message=email.message_from_bytes(
                envelope.original_content, policy=email.policy.default
            ),
        )
        with self.lock:
            self.arrivals += 1
            hold = self.arrivals == self.hold_number
            refusal = self.refusal
        if hold:
            self.held_connection = server
            self.holding.set()
            try:
                # Wait in a thread, not on the event loop: other connections go on being served.
                await asyncio.get_running_loop().run_in_executor(None, self.released.wait)
            except asyncio.CancelledError:
                # aiosmtpd cancels the handler when the client's connection is lost.
                with self.lock:
                    self.abandoned.append(received)
                raise
            if server.transport is None or server.transport.is_closing():
                with self.lock:
                    self.abandoned.append(received)
                return "421 4.4.2 Connection lost"
        with self.lock:
            if refusal:
                self.refused.append(received)
                return refusal
            self.accepted.append(received)
        return "250 OK"


class SmtpServer:
    """Start with ``start()``; point Django at ``host``/``port``; read what arrived."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.handler.released.set()  # never leave a held client (or executor thread) waiting
        self.controller.stop()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def email_settings(self) -> dict[str, str]:
        """The environment that makes a Charter process send here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "false",
        }

    # --- Behaviour ---------------------------------------------------------------------------

    def refuse(self, reply: str = TEMPORARY_FAILURE) -> None:
        with self.handler.lock:
            self.handler.refusal = reply

    def accept(self) -> None:
        with self.handler.lock:
            self.handler.refusal = None

    def hold(self, number: int) -> None:
        """Hold the ``number``-th message to arrive (counting from 1) before answering its DATA."""
        with self.handler.lock:
            self.handler.hold_number = number
        self.handler.holding.clear()
        self.handler.released.clear()

    def wait_until_holding(self, timeout: float = 60) -> None:
        if not self.handler.holding.wait(timeout):
            raise TimeoutError(f"no message number {self.handler.hold_number} within {timeout} s")

    def release(self) -> None:
        self.handler.released.set()

    def wait_until_held_sender_gone(self, timeout: float = 10) -> None:
        """After killing the sender of the held message: wait until the server has seen its
        connection drop, so that releasing the message cannot answer 250 to a dead socket that
        the event loop has not noticed yet."""
        deadline = time.monotonic() + timeout
        while True:
            connection = self.handler.held_connection
            transport = getattr(connection, "transport", None)
            if transport is None or transport.is_closing():
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the held message's sender still connected after {timeout} s")
            time.sleep(0.02)

    def wait_until_abandoned(self, count: int = 1, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while len(self.abandoned) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.abandoned)} of {count} abandoned in {timeout} s")
            time.sleep(0.02)

    # --- What arrived ------------------------------------------------------------------------

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self.handler.lock:
            return list(self.handler.accepted)

    @property
    def refused(self) -> list[ReceivedMessage]:
        with self.handler.lock:
            return list(self.handler.refused)

    @property
    def abandoned(self) -> list[ReceivedMessage]:
        with self.handler.lock:
            return list(self.handler.abandoned)

    def counts(self) -> Counter[tuple[str | None, str]]:
        """How many times each (delivery id, recipient) was accepted: all 1s means exactly once."""
        return Counter(
            (received.delivery_id, recipient)
            for received in self.messages
            for recipient in received.recipients
        )

    def wait_for(self, count: int, *, timeout: float = 60, settle: float = 0.0) -> None:
        """Wait until ``count`` messages were accepted; then ``settle`` seconds more, so that a
        duplicate arriving just after would be counted too."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{len(self.messages)} of {count} messages arrived within {timeout} s"
                )
            time.sleep(0.05)
        time.sleep(settle)

    def wait_for_refusals(self, count: int, *, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.refused) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.refused)} of {count} refusals within {timeout} s")
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
