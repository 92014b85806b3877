from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    from_email: str,
    reply_to: list[str] | None = None,
) -> None:
    """Send one already-rendered email. Retries with backoff when the mail server is unreachable."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, reply_to=reply_to or None
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
