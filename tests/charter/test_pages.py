"""The public pages: home (what the charter is, why it matters, how many have signed) and the
charter itself (the five pledges in full)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils.html import escape

from charter.models import Pledge
from signatories.choices import OrganisationStatus
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

PLEDGE_CODES_IN_ORDER = ["people", "plan", "policies", "practice", "data"]


def text_of(response) -> str:
    return response.content.decode()


def signatory_count_shown(html: str) -> str:
    match = re.search(r'data-testid="signatory-count"><strong>([^<]+)</strong>([^<]*)', html)
    assert match, "the home page shows no signatory count"
    return match.group(1) + match.group(2)


# --- Home -------------------------------------------------------------------------------------


def test_it_shows_the_five_pledge_titles_on_the_home_page(client):
    html = text_of(client.get("/"))

    for pledge in Pledge.objects.all():
        assert escape(pledge.title) in html
        assert escape(pledge.summary) in html


def test_it_counts_active_signatories_only(client):
    make_organisation("Acme Analytics", number=1)
    make_organisation("Globex", number=2)
    make_organisation("Hooli", number=3, status=OrganisationStatus.SUSPENDED)
    make_organisation(
        "Initech",
        number=4,
        status=OrganisationStatus.WITHDRAWN,
        withdrawn_on=dt.date(2025, 1, 31),
    )

    html = text_of(client.get("/"))

    assert signatory_count_shown(html) == "2 organisations have signed the charter."


def test_it_counts_a_newly_signed_organisation_at_once(client):
    assert signatory_count_shown(text_of(client.get("/"))).startswith("0 organisations have")

    make_organisation("Acme Analytics", number=1)

    assert signatory_count_shown(text_of(client.get("/"))) == (
        "1 organisation has signed the charter."
    )


def test_it_groups_the_thousands_in_a_large_count(client):
    from signatories.models import Organisation

    Organisation.objects.bulk_create(
        [
            Organisation(
                legal_name=f"Company {number} Ltd",
                public_name=f"Company {number}",
                slug=f"company-{number}",
                website=f"https://company-{number}.example",
                website_domain=f"company-{number}.example",
                organisation_type="employer",
                sector="software",
                size_band="10-49",
                region="wales",
                signatory_number=number,
                signed_on=dt.date(2024, 1, 1),
            )
            for number in range(1, 1235)
        ]
    )

    html = text_of(client.get("/"))

    assert signatory_count_shown(html) == "1,234 organisations have signed the charter."


def test_it_shows_the_context_figures_on_the_home_page(client):
    html = text_of(client.get("/"))

    assert ">17%</span> of UK tech jobs are held by women." in html
    assert ">21%</span> of girls aged 15–16 were interested in a tech career" in html
    assert "against 74% of boys" in html
    # The charter's growth: 17 first signatories, more than 290 two years later.
    assert ">17 → 290+</span> signatories in the charter's first two years." in html


def test_it_invites_organisations_to_sign_from_the_home_page(client):
    html = text_of(client.get("/"))

    calls_to_action = re.findall(
        r'<a class="button" href="([^"]+)">(Sign the charter|Apply to sign)</a>', html
    )
    assert [label for _, label in calls_to_action] == ["Sign the charter", "Apply to sign"]
    # The button leads to a page that exists, not to a placeholder.
    for href, _ in calls_to_action:
        assert client.get(href).status_code in {200, 302}
    assert 'href="/charter/"' in html


def test_it_refuses_to_post_to_the_home_page(client):
    response = client.post("/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_it_answers_head_on_the_home_page(client):
    response = client.head("/")

    assert response.status_code == 200
    assert response.content == b""


def test_it_loads_the_home_page_in_four_queries_however_many_signatories(
    client, django_assert_num_queries
):
    for number in range(1, 31):
        make_organisation(f"Company {number}", number=number)

    # Signatories by year (the growth chart and the count), the newest signatories, the pledges,
    # the latest published report: never one query per signatory.
    with django_assert_num_queries(4):
        response = client.get("/")

    assert response.status_code == 200


def test_it_adds_only_the_session_and_the_user_for_a_logged_in_person(
    client, alice, django_assert_num_queries
):
    client.force_login(alice)

    # The four above, plus the session and the user, read with whether they are charter staff
    # and belong to a signatory (the navigation's two questions, charter/auth_backends.py).
    with django_assert_num_queries(6):
        response = client.get("/")

    assert response.status_code == 200
    assert "Log out" in text_of(response)


# --- The charter page ---------------------------------------------------------------------------


def test_it_lists_the_five_pledges_in_order_with_their_full_text(client):
    html = text_of(client.get("/charter/"))

    pledges = list(Pledge.objects.order_by("position"))
    assert [pledge.code for pledge in pledges] == PLEDGE_CODES_IN_ORDER
    positions = []
    for pledge in pledges:
        heading = f"<h2>{pledge.position}. {escape(pledge.title)}</h2>"
        assert f'<li id="pledge-{pledge.code}">' in html
        assert heading in html
        assert escape(pledge.summary) in html
        assert escape(pledge.body) in html
        positions.append(html.index(heading))
    assert positions == sorted(positions)


def test_it_shows_a_pledge_as_staff_reworded_it(client):
    Pledge.objects.filter(code="data").update(title="Sharing diversity data every year")

    html = text_of(client.get("/charter/"))

    assert "5. Sharing diversity data every year" in html


def test_it_links_the_charter_page_to_its_pdf(client):
    html = text_of(client.get("/charter/"))

    assert 'href="/charter.pdf"' in html


def test_it_loads_the_charter_page_in_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/charter/")

    assert response.status_code == 200


def test_it_refuses_to_post_to_the_charter_page(client):
    assert client.post("/charter/").status_code == 405


# --- Both pages: the accessible layout ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/charter/"])
def test_it_serves_the_page_in_british_english_with_landmarks_and_a_skip_link(client, path):
    response = client.get(path)

    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="en-GB">' in html
    assert html.count("<main") == 1
    assert '<main id="main"' in html
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    # The skip link comes before the navigation it lets keyboard users skip.
    assert html.index("skip-link") < html.index("<nav")
    assert "<header" in html
    assert "<footer" in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("path", ["/", "/charter/"])
def test_it_links_a_print_stylesheet_and_styles_the_keyboard_focus(client, path):
    from django.contrib.staticfiles import finders

    html = text_of(client.get(path))

    stylesheets = dict(
        re.findall(r'<link rel="stylesheet" href="([^"]+)"(?: media="([^"]+)")?>', html)
    )
    # The site's styles for every medium, the print layout for paper only.
    assert stylesheets["/static/css/site.css"] == ""
    assert stylesheets["/static/css/print.css"] == "print"
    print_css = Path(finders.find("css/print.css")).read_text()
    assert "@page" in print_css
    assert re.search(r"\.site-nav[^{]*\{[^}]*display:\s*none", print_css)
    # Keyboard users see where they are: a visible outline on :focus-visible, never removed.
    site_css = Path(finders.find("css/site.css")).read_text()
    focus_rules = re.findall(r"(?:^|})\s*([^{}]*:focus-visible[^{}]*)\{([^}]*)\}", site_css)
    assert focus_rules, "site.css has no :focus-visible rule"
    assert any(re.search(r"outline:\s*\d+px solid", body) for _, body in focus_rules)
    assert not re.search(r":focus-visible[^{}]*\{[^}]*outline:\s*(?:none|0)\b", site_css)


@pytest.mark.parametrize(
    "path", ["/", "/charter/", "/signatories/", "/signatories/acme-analytics/", "/api/"]
)
def test_it_loads_no_assets_from_other_sites(client, acme, path):
    response = client.get(path)
    assert response.status_code == 200
    html = text_of(response)

    assert not re.search(r'<(?:link|script|img)[^>]+(?:href|src)="(?:https?:)?//', html)
