"""The SMTP harness the reminder worker tests count deliveries with: it must count right."""

from __future__ import annotations

import smtplib
import socket
import threading
from email.message import EmailMessage

import pytest

from tests.smtp_server import DELIVERY_HEADER


def message(delivery: str, to: str = "alice@acme.example") -> EmailMessage:
    built = EmailMessage()
    built["From"] = "hello@charter.localhost"
    built["To"] = to
    built["Subject"] = "Your data return is due in 7 days"
    built[DELIVERY_HEADER] = delivery
    built.set_content("Acme Analytics has not submitted its 2026 return yet.")
    return built


def send(server, built: EmailMessage) -> None:
    with smtplib.SMTP(server.host, server.port, timeout=10) as client:
        client.send_message(built)


def test_it_counts_each_accepted_message_by_delivery_and_recipient(smtp_server):
    send(smtp_server, message("41"))
    send(smtp_server, message("42", to="bob@acme.example"))
    send(smtp_server, message("41"))

    assert smtp_server.counts() == {
        ("41", "alice@acme.example"): 2,
        ("42", "bob@acme.example"): 1,
    }
    assert smtp_server.messages[1].subject == "Your data return is due in 7 days"
    assert "has not submitted" in smtp_server.messages[1].text()


def test_it_refuses_with_a_temporary_failure_until_told_to_accept(smtp_server):
    smtp_server.refuse()

    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(smtp_server, message("7"))

    assert refused.value.smtp_code == 451
    assert [received.delivery_id for received in smtp_server.refused] == ["7"]
    assert smtp_server.messages == []

    smtp_server.accept()
    send(smtp_server, message("7"))

    assert smtp_server.counts() == {("7", "alice@acme.example"): 1}


def test_it_never_records_a_held_message_whose_sender_went_away(smtp_server):
    smtp_server.hold(2)
    send(smtp_server, message("1"))
    # The second message's sender dies while the server holds it, as a killed worker would.
    client = smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10)
    client.ehlo()
    client.mail("hello@charter.localhost")
    client.rcpt("alice@acme.example")
    client.putcmd("data")
    assert client.getreply()[0] == 354
    client.send(message("2").as_bytes().replace(b"\n", b"\r\n") + b"\r\n.\r\n")
    smtp_server.wait_until_holding(timeout=10)
    client.sock.shutdown(socket.SHUT_RDWR)
    client.close()
    smtp_server.release()
    send(smtp_server, message("3"))

    assert smtp_server.counts() == {
        ("1", "alice@acme.example"): 1,
        ("3", "alice@acme.example"): 1,
    }
    assert [received.delivery_id for received in smtp_server.abandoned] == ["2"]


def test_it_serves_other_senders_while_holding_one(smtp_server):
    smtp_server.hold(1)
    held = threading.Thread(target=send, args=(smtp_server, message("1")))
    held.start()
    smtp_server.wait_until_holding(timeout=10)

    send(smtp_server, message("2"))

    assert smtp_server.counts() == {("2", "alice@acme.example"): 1}
    smtp_server.release()
    held.join(timeout=10)
    assert smtp_server.counts() == {
        ("1", "alice@acme.example"): 1,
        ("2", "alice@acme.example"): 1,
    }
