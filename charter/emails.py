"""Outgoing email: rendered in the request, sent by a Celery task after the transaction commits.

Rendering happens here, in the process that has the context, so the task only carries plain
strings (JSON-serialisable, nothing to re-query) and a worker can send it at any later moment.
"""

from __future__ import annotations

from django.conf import settings
from django.template import Context
from django.template.loader import get_template


def email_queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    from_email: str | None = None,
    reply_to: list[str] | None = None,
) -> None:
    from charter.tasks import send_email

    send_email.delay_on_commit(
        to=to,
        subject=subject,
        body=body,
        html=html,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        reply_to=reply_to or [],
    )


def email_queue_from_templates(*, to: list[str], template: str, context: dict) -> None:
    """Render ``templates/email/<template>_subject.txt`` and ``_body.txt`` and queue the email."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = _render_plain_text(f"email/{template}_subject.txt", context)
    body = _render_plain_text(f"email/{template}_body.txt", context)
    email_queue(to=to, subject=" ".join(subject.split()), body=body)


def _render_plain_text(template_name: str, context: dict) -> str:
    # Plain-text email: HTML escaping would turn "O'Brien & Co" into "O&#x27;Brien &amp; Co".
    return get_template(template_name).template.render(Context(context, autoescape=False))
