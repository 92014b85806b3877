from __future__ import annotations

import re

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from charter.emails import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth renders the message; we hand the rendered parts to the email task so that
        # account emails go through Celery like every other email Charter sends.
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        email_queue(
            to=list(message.to),
            subject=message.subject,
            body=message.body,
            html=html,
            from_email=message.from_email,
        )


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        # The activation page puts the QR code into the page as markup: the Content-Security-
        # Policy allows images from the site only, so allauth's data: URI would not load. The
        # XML declaration has no place inside HTML.
        return re.sub(r"^<\?xml[^>]*\?>\s*", "", super().build_totp_svg(url))
