"""Account journeys through allauth, as a person would take them, with the Django test client.

Account emails leave through the Celery task after the transaction commits, so every request that
sends one runs inside ``django_capture_on_commit_callbacks(execute=True)``; the autouse fixture in
tests/conftest.py runs the task inline, which puts the email in ``mail.outbox``.
"""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import authenticator_code, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a-brand-new-passphrase-77"


def link_in(message: mail.EmailMessage) -> str:
    """The one http(s) link in an account email's body, as a path the test client can open."""
    links = re.findall(r"https?://[^\s/]+(/\S+)", message.body)
    assert len(links) == 1, f"expected one link in the email, found {links}"
    return links[0]


def logged_in_user(client):
    return client.get("/").wsgi_request.user


def log_in(client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def reauthenticate(client, password: str) -> None:
    # Adding an authenticator is a sensitive change: allauth wants the password again even just
    # after logging in.
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content


def sign_up(client, capture, email: str, password: str = NEW_PASSWORD):
    with capture(execute=True):
        return client.post(
            "/accounts/signup/", {"email": email, "password1": password, "password2": password}
        )


# --- Sign up and email verification -----------------------------------------------------------


def test_it_signs_up_sends_a_verification_link_and_logs_in_once_confirmed(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, "dee@initech.example")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="dee@initech.example")
    assert not EmailAddress.objects.get(user=user).verified
    assert not logged_in_user(client).is_authenticated

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dee@initech.example"]
    assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    confirm_path = link_in(message)
    assert confirm_path.startswith("/accounts/confirm-email/")

    # Opening the link only shows a page with a button: mail scanners that follow links must not
    # confirm addresses on a person's behalf (ACCOUNT_CONFIRM_EMAIL_ON_GET is off).
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert b"<form" in page.content
    assert b'lang="en-GB"' in page.content
    assert not EmailAddress.objects.get(user=user).verified

    confirmed = client.post(confirm_path)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert logged_in_user(client) == user


def test_it_lets_a_verified_person_log_in_with_the_new_password(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, "erin@initech.example")
    client.post(link_in(mail.outbox[0]))
    client.post("/accounts/logout/")
    assert not logged_in_user(client).is_authenticated

    response = log_in(client, "erin@initech.example", NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user(client).email == "erin@initech.example"


def test_it_refuses_to_log_in_before_the_email_is_verified(
    client, django_capture_on_commit_callbacks, password
):
    make_user("frank@initech.example", verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = log_in(client, "frank@initech.example", password)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not logged_in_user(client).is_authenticated
    # A fresh link is sent, so the person who lost the first one is not stuck.
    assert [message.to for message in mail.outbox] == [["frank@initech.example"]]
    assert link_in(mail.outbox[0]).startswith("/accounts/confirm-email/")


def test_it_rejects_a_password_that_does_not_match(client, alice):
    response = log_in(client, "alice@acme.example", "not-the-password")

    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert b"The email address and/or password you specified are not correct." in response.content
    assert not logged_in_user(client).is_authenticated


def test_it_rejects_a_sign_up_whose_passwords_differ(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "gina@initech.example", "password1": NEW_PASSWORD, "password2": "other"},
        )

    assert response.status_code == 200
    assert b"You must type the same password each time." in response.content
    assert not User.objects.filter(email="gina@initech.example").exists()
    assert mail.outbox == []


# --- The custom user: email is the login ------------------------------------------------------


def test_it_has_no_username_field():
    field_names = {field.name for field in User._meta.get_fields()}

    assert "username" not in field_names
    assert User.USERNAME_FIELD == "email"
    assert settings.ACCOUNT_USER_MODEL_USERNAME_FIELD is None


def test_it_stores_a_new_email_in_lower_case(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, "Hana.Hill@Initech.example")

    assert User.objects.filter(email="hana.hill@initech.example").exists()
    assert EmailAddress.objects.filter(email="hana.hill@initech.example").exists()


def test_it_does_not_create_a_second_account_for_the_same_email_in_other_case(
    client, alice, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, "Alice@Acme.example")

    # allauth prevents account enumeration: the page looks like any sign-up, and the owner of the
    # address is told by email that an account already exists.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="alice@acme.example").count() == 1
    assert [message.to for message in mail.outbox] == [["alice@acme.example"]]
    assert mail.outbox[0].subject == "[Charter] Account Already Exists"
    assert link_in(mail.outbox[0]) == "/accounts/password/reset/"
    assert not logged_in_user(client).is_authenticated


def test_it_logs_in_whatever_the_case_of_the_email(client, alice, password):
    response = log_in(client, "ALICE@Acme.Example", password)

    assert response.status_code == 302
    assert logged_in_user(client) == alice


# --- Password reset and change, log out --------------------------------------------------------


def test_it_resets_a_forgotten_password_through_the_emailed_link(
    client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "alice@acme.example"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert [message.to for message in mail.outbox] == [["alice@acme.example"]]
    reset_path = link_in(mail.outbox[0])
    assert reset_path.startswith("/accounts/password/reset/key/")

    # allauth moves the key out of the URL into the session before showing the form, so that it
    # does not leak through the Referer header.
    key_page = client.get(reset_path, follow=True)
    assert key_page.status_code == 200
    form_path = key_page.redirect_chain[-1][0]
    assert b'name="password1"' in key_page.content

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/key/done/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    client.logout()
    assert log_in(client, "alice@acme.example", NEW_PASSWORD).status_code == 302
    assert logged_in_user(client) == alice


def test_it_does_not_reveal_whether_an_address_has_an_account(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "nobody@nowhere.example"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    # The address gets a "you have no account here" note, never a reset link.
    assert [message.to for message in mail.outbox] == [["nobody@nowhere.example"]]
    assert mail.outbox[0].subject == "[Charter] Unknown Account"
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body


def test_it_refuses_a_reset_link_that_has_been_tampered_with(client, alice):
    response = client.get("/accounts/password/reset/key/1-not-a-real-key/", follow=True)

    assert response.status_code == 200
    assert b'name="password1"' not in response.content
    alice.refresh_from_db()
    assert not alice.check_password(NEW_PASSWORD)


def test_it_changes_the_password_of_a_logged_in_person(
    client, alice, password, django_capture_on_commit_callbacks
):
    log_in(client, "alice@acme.example", password)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE is off: the person stays logged in.
    assert logged_in_user(client) == alice


def test_it_refuses_a_password_change_without_the_current_password(client, alice, password):
    log_in(client, "alice@acme.example", password)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert b"error-message" in response.content
    alice.refresh_from_db()
    assert alice.check_password(password)


def test_it_sends_an_anonymous_visitor_from_the_password_change_page_to_log_in(client):
    response = client.get("/accounts/password/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_logs_out_on_post(client, alice, password):
    log_in(client, "alice@acme.example", password)
    assert logged_in_user(client) == alice

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not logged_in_user(client).is_authenticated


def test_it_shows_a_confirmation_page_rather_than_logging_out_on_get(client, alice, password):
    log_in(client, "alice@acme.example", password)

    response = client.get("/accounts/logout/")

    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert logged_in_user(client) == alice


# --- Two-factor authentication -----------------------------------------------------------------


def test_it_shows_the_two_factor_page_to_a_logged_in_person(client, alice, password):
    log_in(client, "alice@acme.example", password)

    response = client.get("/accounts/2fa/")

    assert response.status_code == 200
    assert b"/accounts/2fa/totp/activate/" in response.content


def test_it_sends_an_anonymous_visitor_from_the_two_factor_page_to_log_in(client):
    response = client.get("/accounts/2fa/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_asks_for_the_password_again_before_activating_an_authenticator_app(
    client, alice, password
):
    log_in(client, "alice@acme.example", password)

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")


def test_it_renders_the_authenticator_app_activation_page(client, alice, password):
    log_in(client, "alice@acme.example", password)
    reauthenticate(client, password)

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 200
    assert b"<svg" in response.content or b"data:image/svg+xml" in response.content
    assert b'name="code"' in response.content


def test_it_asks_for_an_authenticator_code_at_log_in_once_two_factor_is_on(
    client, alice, password, django_capture_on_commit_callbacks
):
    log_in(client, "alice@acme.example", password)
    reauthenticate(client, password)
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    code = authenticator_code(secret)

    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post("/accounts/2fa/totp/activate/", {"code": code})

    assert activated.status_code == 302
    # The first authenticator comes with recovery codes, shown once.
    assert activated["Location"] == "/accounts/2fa/recovery-codes/"
    assert alice.authenticator_set.filter(type="totp").exists()
    assert alice.authenticator_set.filter(type="recovery_codes").exists()

    client.post("/accounts/logout/")
    response = log_in(client, "alice@acme.example", password)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not logged_in_user(client).is_authenticated


def activate_authenticator_app(client, capture, email: str, password: str) -> str:
    """Log in and turn on an authenticator app through allauth's pages; return its secret."""
    log_in(client, email, password)
    reauthenticate(client, password)
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    with capture(execute=True):
        code = authenticator_code(secret)
        activated = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert activated.status_code == 302, activated.content
    return secret


def next_period():
    """Move the clock on by one TOTP period: allauth accepts each code once (it remembers used
    codes for a period), and a person logging in later reads a new code from their app."""
    return time_machine.travel(time.time() + 30, tick=True)


def log_in_up_to_the_second_factor(client, email: str, password: str) -> None:
    response = log_in(client, email, password)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not logged_in_user(client).is_authenticated


def test_it_logs_in_with_the_authenticator_code_and_refuses_a_wrong_one(
    client, alice, password, django_capture_on_commit_callbacks
):
    secret = activate_authenticator_app(
        client, django_capture_on_commit_callbacks, alice.email, password
    )
    client.post("/accounts/logout/")

    with next_period():
        log_in_up_to_the_second_factor(client, alice.email, password)
        page = client.get("/accounts/2fa/authenticate/")
        assert page.status_code == 200
        assert b'name="code"' in page.content
        code = authenticator_code(secret)
        wrong_code = str((int(code) + 1) % 10**6).zfill(6)

        refused = client.post("/accounts/2fa/authenticate/", {"code": wrong_code})

        assert refused.status_code == 200
        assert b"Incorrect code." in refused.content
        assert not logged_in_user(client).is_authenticated

        accepted = client.post("/accounts/2fa/authenticate/", {"code": code})

        assert accepted.status_code == 302
        assert accepted["Location"] == "/"
        assert logged_in_user(client) == alice


def test_it_shows_the_recovery_codes_and_accepts_each_only_once(
    client, alice, password, django_capture_on_commit_callbacks
):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    activate_authenticator_app(client, django_capture_on_commit_callbacks, alice.email, password)
    codes = RecoveryCodes(alice.authenticator_set.get(type="recovery_codes")).get_unused_codes()
    assert len(codes) == 10

    page = client.get("/accounts/2fa/recovery-codes/")

    assert page.status_code == 200
    for code in codes:
        assert code in page.content.decode()
    client.post("/accounts/logout/")

    log_in_up_to_the_second_factor(client, alice.email, password)
    first = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert first.status_code == 302
    assert logged_in_user(client) == alice
    client.post("/accounts/logout/")

    log_in_up_to_the_second_factor(client, alice.email, password)
    again = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})

    assert again.status_code == 200
    assert b"Incorrect code." in again.content
    assert not logged_in_user(client).is_authenticated
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[1]}).status_code == 302
    assert logged_in_user(client) == alice


def test_the_account_pages_link_to_two_factor_authentication(client, alice, password):
    log_in(client, alice.email, password)

    for path in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        html = client.get(path).content.decode()
        navigation = re.search(
            r'<nav class="account-nav" aria-label="Account">.*?</nav>', html, re.DOTALL
        )
        assert navigation, f"no account navigation on {path}"
        assert '<a href="/accounts/2fa/"' in navigation.group(0)


# --- Rate limits ---------------------------------------------------------------------------------


def test_it_keeps_allauth_rate_limits_on():
    limits = settings.ACCOUNT_RATE_LIMITS

    assert limits is not False
    for action in ("login", "login_failed", "signup", "reset_password", "confirm_email"):
        assert limits.get(action), f"no rate limit for {action}"


def test_it_stops_guessing_after_five_failed_logins_for_one_address(client, alice, password):
    for _ in range(5):
        assert log_in(client, "alice@acme.example", "guess").status_code == 200

    response = log_in(client, "alice@acme.example", password)

    # Even the right password is refused while the address is locked (login_failed 5/5m/key).
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert not logged_in_user(client).is_authenticated


def test_it_stops_sending_reset_emails_after_five_requests_for_one_address(
    client, alice, django_capture_on_commit_callbacks
):
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/password/reset/", {"email": "alice@acme.example"})
        assert response.status_code == 302
    assert len(mail.outbox) == 5

    # reset_password 5/m/key: a sixth request for the same address within the minute is refused,
    # so nobody can flood a person's inbox with reset emails.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "Alice@Acme.example"})

    assert response.status_code == 429
    assert b"Too many requests" in response.content
    assert b'<main id="main"' in response.content  # the site's own page, not a bare one
    assert len(mail.outbox) == 5
    # Another address is not affected by alice's limit.
    with django_capture_on_commit_callbacks(execute=True):
        other = client.post("/accounts/password/reset/", {"email": "bob@acme.example"})
    assert other.status_code == 302
    assert len(mail.outbox) == 6
