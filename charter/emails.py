"""Outgoing email: rendered in the request, sent by a Celery task after the transaction commits.

Rendering happens here, in the process that has the context, so the task only carries plain
strings (JSON-serialisable, nothing to re-query) and a worker can send it at any later moment.
"""

from __future__ import annotations

from django.conf import settings
from django.template import Context
from django.template.defaultfilters import linebreaks_filter, urlize
from django.template.loader import get_template
from django.utils.html import escape


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
    """Render ``templates/email/<template>_subject.txt`` and ``_body.txt`` and queue the email,
    with an HTML part from the shared layout (``email/layout.html``)."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_plain_text(f"email/{template}_subject.txt", context).split())
    body = _render_plain_text(f"email/{template}_body.txt", context)
    email_queue(to=to, subject=subject, body=body, html=email_html(subject=subject, text=body))


def email_html(*, subject: str, text: str) -> str:
    """The HTML part of a plain-text email: its paragraphs, with links made clickable, in the
    shared layout every email uses (the reminders fill the same layout with their own HTML)."""
    return get_template("email/layout.html").render(
        {"site_url": settings.SITE_URL, "subject": subject, "body_html": _paragraphs(text)}
    )


def _paragraphs(text: str) -> str:
    # escape() always escapes, even text a template render marked safe (a plain-text render is
    # "safe" without having been escaped: names typed by people must not become markup).
    # linebreaks makes <p>/<br>, urlize links the addresses, with the address as the link text.
    return urlize(linebreaks_filter(escape(text), autoescape=False), autoescape=False)


def _render_plain_text(template_name: str, context: dict) -> str:
    # Plain-text email: HTML escaping would turn "O'Brien & Co" into "O&#x27;Brien &amp; Co".
    return get_template(template_name).template.render(Context(context, autoescape=False))
