"""Unsubscribing from an optional email (pledge review nudges, the staff digest) by its link."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from charter.models import User
from pledges.models import ReminderKind
from pledges.services.reminders.preferences import email_opt_out, unsubscribe_from_token


# csrf_exempt, on this view only: RFC 8058's one-click unsubscribe is a POST a mail client sends
# by itself ("List-Unsubscribe=One-Click"), with no session and no CSRF token. It is safe here
# because the signed token in the URL is the whole authority (it names one person and one kind),
# and the only thing a forged POST could do is what the link's owner can do with one click:
# switch off an optional email, which they can switch back on in their settings.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def email_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, kind = unsubscribe_from_token(token)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        return render(request, "pledges/public/unsubscribe_invalid.html", status=404)
    context = {"kind_label": ReminderKind(kind).label, "email": user.email, "token": token}
    if request.method == "POST":
        email_opt_out(user=user, kind=kind, via_link=True)
        return render(request, "pledges/public/unsubscribe_done.html", context)
    return render(request, "pledges/public/unsubscribe.html", context)
