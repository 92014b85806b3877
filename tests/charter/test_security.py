"""Security before the sensitive data arrives: the admin log-in goes through allauth,
staff need an authenticator app, staff sessions end after a working day idle, and every response
carries the Content-Security-Policy and the Permissions-Policy.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from charter.security import SETUP_MESSAGE, STAFF_NAMESPACES
from tests.charter.test_settings import manage, production_secret_key
from tests.conftest import PASSWORD, authenticator_code, make_user

pytestmark = pytest.mark.django_db

SETUP_URL = "/accounts/2fa/totp/activate/"


def staff_account(email: str, *, authenticator: bool):
    """Charter staff with access to the admin too, as the real staff accounts are."""
    user = make_user(email, is_staff=True, authenticator=authenticator)
    user.groups.add(Group.objects.get(name="Charter staff"))
    return user


@pytest.fixture
def sam(db):
    return staff_account("sam@charter.example", authenticator=True)


@pytest.fixture
def otto(db):
    return staff_account("otto@charter.example", authenticator=False)


def session_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


# --- The admin log-in goes through allauth ---------------------------------------------------


def test_a_correct_password_posted_to_the_admin_login_logs_nobody_in(client, sam):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": sam.email, "password": PASSWORD, "next": "/admin/"},
    )

    # Django's own form is never reached: the post is answered with allauth's log-in page.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert session_user_id(client) is None
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert client.get(admin["Location"])["Location"].startswith("/accounts/login/")


def test_the_admin_login_asks_for_the_code_and_then_opens_the_admin(client, sam):
    start = client.get("/admin/")
    login_page = client.get(start["Location"])
    assert login_page["Location"] == "/accounts/login/?next=%2Fadmin%2F"

    after_password = client.post(
        login_page["Location"], {"login": sam.email, "password": PASSWORD, "next": "/admin/"}
    )

    assert after_password.status_code == 302
    assert after_password["Location"] == "/accounts/2fa/authenticate/"
    assert session_user_id(client) is None
    assert client.get("/admin/").status_code == 302

    after_code = client.post("/accounts/2fa/authenticate/", {"code": authenticator_code()})

    assert after_code.status_code == 302
    assert after_code["Location"] == "/admin/"
    assert session_user_id(client) == str(sam.pk)
    assert client.get("/admin/").status_code == 200
    assert client.get("/staff/applications/").status_code == 200


def test_failed_admin_log_ins_are_rate_limited(client, sam):
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    for _ in range(5):
        failed = client.post(login_url, {"login": sam.email, "password": "guess"})
        assert failed.status_code == 200

    refused = client.post(login_url, {"login": sam.email, "password": PASSWORD})

    # login_failed 5/5m/key: the right password is refused too while the address is locked...
    assert refused.status_code == 200
    assert b"Too many failed login attempts" in refused.content
    assert session_user_id(client) is None
    # ...and Django's admin form is no way around the lock.
    client.post("/admin/login/", {"username": sam.email, "password": PASSWORD})
    assert session_user_id(client) is None


# --- Staff must have an authenticator app --------------------------------------------------------


def named_patterns(resolver: URLResolver, namespace: str | None = None):
    """(namespace, url name, pattern) for every named URL, looking inside includes."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry.name, entry.pattern


def example_path(namespace: str, name: str, pattern) -> str:
    """A concrete path for the URL: 1 for ids, an app label where the admin wants one."""
    parameters = list(pattern.regex.groupindex)
    for values in itertools.product(["1", "charter"], repeat=len(parameters)):
        try:
            return reverse(f"{namespace}:{name}", kwargs=dict(zip(parameters, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a path for {namespace}:{name} ({pattern})")


def staff_paths() -> list[str]:
    return sorted(
        {
            example_path(namespace, name, pattern)
            for namespace, name, pattern in named_patterns(get_resolver())
            if namespace and namespace.split(":")[0] in STAFF_NAMESPACES
        }
    )


def test_the_staff_paths_cover_the_staff_pages_and_the_admin():
    paths = staff_paths()

    for expected in [
        "/staff/",
        "/staff/applications/1/approve/",
        "/staff/practices/",
        "/admin/",
        "/admin/login/",
        "/admin/charter/pledge/1/change/",
    ]:
        assert expected in paths
    assert len(paths) > 30


def test_a_staff_account_without_an_authenticator_is_sent_to_set_one_up_from_every_staff_url(
    client, otto
):
    client.force_login(otto)

    for path in staff_paths():
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, f"{method.__name__} {path}"
            assert response["Location"] == SETUP_URL, f"{method.__name__} {path}"


def test_the_set_up_page_tells_staff_why(client, otto):
    client.force_login(otto)

    first = client.get("/staff/", follow=True)

    # allauth asks for the password again before adding an authenticator; the reason shows there.
    assert first.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert html.escape(SETUP_MESSAGE) in first.content.decode()
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get(SETUP_URL).content.decode()
    assert "Charter staff need two-factor authentication" in page
    # The QR code is markup, not a data: image, which the Content-Security-Policy refuses.
    assert '<div class="totp-qr" role="img"' in page and "<svg" in page
    assert "data:image" not in page
    assert "<?xml" not in page


def test_a_staff_account_that_adds_an_authenticator_reaches_the_staff_pages(client, otto):
    client.force_login(otto)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    secret = client.get(SETUP_URL).context["form"].secret

    activated = client.post(SETUP_URL, {"code": authenticator_code(secret)})

    assert activated.status_code == 302
    assert client.get("/staff/applications/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_staff_account_with_an_authenticator_opens_the_staff_pages(client, sam):
    client.force_login(sam)

    assert client.get("/staff/applications/").status_code == 200
    assert client.get("/staff/practices/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_people_who_are_not_staff_are_not_asked_for_an_authenticator(client, alice):
    client.force_login(alice)

    assert client.get("/staff/applications/").status_code == 403
    assert client.get("/").status_code == 200
    # The admin sends a non-staff person to its log-in, which refuses them outright rather than
    # offering another log-in form (secure_admin_login).
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_requirement_can_be_switched_off_for_local_development(client, otto, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    client.force_login(otto)

    assert client.get("/staff/applications/").status_code == 200


def test_it_refuses_to_start_without_staff_two_factor_when_debug_is_off():
    result = manage(
        "check",
        DEBUG="false",
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="charter.example",
        STAFF_TWO_FACTOR_REQUIRED="false",
    )

    assert result.returncode != 0
    assert "charter.E002" in result.stderr
    assert "STAFF_TWO_FACTOR_REQUIRED" in result.stderr


def test_staff_two_factor_may_be_off_while_debugging():
    result = manage("check", STAFF_TWO_FACTOR_REQUIRED="false")

    assert result.returncode == 0, result.stderr


# --- Session lifetimes ---------------------------------------------------------------------------

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_staff_session_ends_after_eight_hours_without_a_request(client, sam):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(sam)
        assert client.session.get_expiry_age() == 8 * 60 * 60
        assert client.get("/staff/applications/").status_code == 200

        # Each request moves the end on: a working day of use never logs staff out...
        for _ in range(3):
            traveller.shift(dt.timedelta(hours=7, minutes=58))
            assert client.get("/staff/applications/").status_code == 200

        # ...but a working day without one does.
        traveller.shift(dt.timedelta(hours=8, minutes=1))
        response = client.get("/staff/applications/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signatory_session_keeps_the_two_week_lifetime(client, alice, acme):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(alice)
        assert client.get("/dashboard/").status_code in {200, 302}
        assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 14 * 24 * 3600

        traveller.shift(dt.timedelta(days=13))
        assert client.get("/").wsgi_request.user == alice

        traveller.shift(dt.timedelta(days=2))
        assert not client.get("/").wsgi_request.user.is_authenticated


# --- Content-Security-Policy and Permissions-Policy ---------------------------------------------

REQUIRED_DIRECTIVES = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
]


def assert_policies(response, what: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    directives = {part.strip() for part in policy.split(";")}
    for directive in REQUIRED_DIRECTIVES:
        assert directive in directives, f"{what}: {directive!r} missing from {policy!r}"
    assert "unsafe" not in policy and "data:" not in policy, f"{what}: {policy}"
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, f"{what}: {feature} not off in {permissions!r}"


def paths_without_parameters() -> list[str]:
    paths = set()
    for namespace, name, pattern in named_patterns(get_resolver()):
        if not pattern.regex.groupindex:
            try:
                paths.add(reverse(f"{namespace}:{name}" if namespace else name))
            except NoReverseMatch:
                continue
    return sorted(paths)


def test_every_response_carries_the_policies(client, sam, acme_workspace):
    paths = paths_without_parameters()
    assert {"/", "/accounts/login/", "/signatories/", "/api/", "/charter.pdf"} <= set(paths)
    extra = ["/signatories/acme-analytics/", "/no-such-page/", "/static/css/site.css"]

    for path in [*paths, *extra]:
        assert_policies(client.get(path), f"anonymous GET {path}")
    client.force_login(sam)
    for path in [*paths, *extra]:
        if path != "/accounts/logout/":
            assert_policies(client.get(path), f"staff GET {path}")


def test_uploaded_files_keep_their_stricter_sandbox_policy(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    response = client.get("/media/logo.png")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "camera=()" in response["Permissions-Policy"]


def test_templates_have_no_inline_script_style_or_event_handler():
    # The browser tests catch what a page does; this catches a template no test opens yet.
    inline = re.compile(
        r"<style|style=|<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|\son[a-z]+=",
        re.IGNORECASE,
    )
    offenders = []
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        relative = template.relative_to(settings.BASE_DIR / "templates")
        if relative.parts[0] == "email" or relative.name.endswith("_pdf.html"):
            continue  # emails and WeasyPrint's PDFs are not rendered by a browser under the CSP
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if inline.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
