"""Every kind of page under the Content-Security-Policy in a real Chromium, failing on any
violation.

The ``csp_violations`` fixture (tests/browser/conftest.py) listens for ``securitypolicyviolation``
on every page of every browser test; this module makes sure each audience's pages are visited at
least once: the public pages, allauth's, a signatory's workspace, the staff pages after a log-in
with an authenticator code, the Django admin and the API documentation. It also checks that the
listener does catch a violation, so the other tests cannot pass for want of one.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from charter.models import Pledge
from tests.conftest import PASSWORD, authenticator_code, make_commitments, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def visit(page: Page, live_server, path: str) -> None:
    response = page.goto(live_server.url + path)
    assert response is not None and response.status < 400, f"{path}: {response and response.status}"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    # Let late loads (images, styles, deferred scripts) report before moving on.
    page.wait_for_load_state("networkidle")


def log_in(page: Page, live_server, email: str, *, code: bool = False) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if code:
        page.locator('input[name="code"]').fill(authenticator_code())
        page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_the_listener_catches_a_violation(page: Page, live_server, csp_violations):
    visit(page, live_server, "/")

    page.evaluate(
        "() => document.head.insertAdjacentHTML('beforeend', '<style>body { color: red }</style>')"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    page.evaluate("() => window.__cspViolations")

    assert [violation["directive"] for violation in csp_violations] == ["style-src-elem"]
    csp_violations.clear()  # provoked on purpose


def test_public_and_account_pages_keep_to_the_policy(page: Page, live_server, acme):
    for path in [
        "/",
        "/charter/",
        "/signatories/",
        f"/signatories/{acme.slug}/",
        "/api/",
        "/practices/",
        "/sign/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]:
        visit(page, live_server, path)
    page.goto(live_server.url + "/no-such-page/")  # the site's 404 page

    # htmx still works: typing a search swaps the results in place, with no inline style.
    visit(page, live_server, "/signatories/")
    with page.expect_response(lambda response: "q=Acme" in response.url):
        page.get_by_role("searchbox").fill("Acme")
    expect(page.locator("#directory-results")).to_contain_text("Acme Analytics")
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0


def test_a_signatorys_workspace_keeps_to_the_policy(page: Page, live_server, acme, alice):
    make_commitments(acme)
    log_in(page, live_server, alice.email)
    pledge = Pledge.objects.get(code="plan")

    for path in [
        "/dashboard/",
        f"/dashboard/{acme.slug}/",
        f"/dashboard/{acme.slug}/profile/",
        f"/dashboard/{acme.slug}/data-contact/",
        f"/dashboard/{acme.slug}/team/",
        f"/dashboard/{acme.slug}/pledges/{pledge.code}/",
        f"/dashboard/{acme.slug}/pledges/{pledge.code}/history/",
        f"/dashboard/{acme.slug}/practices/",
        f"/dashboard/{acme.slug}/library/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ]:
        visit(page, live_server, path)


def test_staff_pages_and_the_admin_keep_to_the_policy(page: Page, live_server):
    staff = make_user(
        "sam@charter.example", full_name="Sam Staff", is_staff=True, is_superuser=True
    )
    staff.groups.add(Group.objects.get(name="Charter staff"))
    pledge = Pledge.objects.get(code="people")

    # The admin's own log-in sends to allauth's, which asks for the code, then back to the admin.
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=%2Fadmin%2F")
    page.locator('input[name="login"]').fill(staff.email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator('input[name="code"]').fill(authenticator_code())
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(live_server.url + "/admin/")

    for path in [
        "/staff/",
        "/staff/applications/",
        "/staff/organisations/",
        "/staff/practices/",
        "/admin/",
        "/admin/charter/",
        "/admin/charter/pledge/",
        f"/admin/charter/pledge/{pledge.pk}/change/",
        "/admin/charter/user/",
        "/admin/charter/user/add/",
        f"/admin/charter/user/{staff.pk}/change/",
        "/admin/auth/group/",
        "/admin/signatories/organisation/",
    ]:
        visit(page, live_server, path)
    # The admin's scripts run under the policy: the sidebar's filter box is theirs.
    visit(page, live_server, "/admin/charter/pledge/")
    page.locator("#nav-filter").fill("pledge")
    expect(page.locator("#nav-sidebar").get_by_role("link", name="Pledges")).to_be_visible()


def test_the_set_up_page_for_staff_without_an_authenticator_keeps_to_the_policy(
    page: Page, live_server
):
    otto = make_user("otto@charter.example", is_staff=True, authenticator=False)
    otto.groups.add(Group.objects.get(name="Charter staff"))
    log_in(page, live_server, otto.email)

    page.goto(live_server.url + "/staff/")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').click()

    expect(
        page.get_by_role("heading", name="Charter staff need two-factor authentication")
    ).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] > 100  # drawn, from site.css, not inline style
