"""The outlier queue and the staff return page: staff only, figures only with the permission,
and every staff look at raw figures logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from pledges.models import CycleEvent, RawDataAccess, ReturnQuery
from tests.conftest import make_cycle, make_organisation
from tests.pledges.review_data import JUMP_WARNING, submitted_return

pytestmark = pytest.mark.django_db

FIGURE_SHOWN = "went from 40 to 95"


@pytest.fixture
def flagged(acme, alice, open_cycle):
    return submitted_return(acme, open_cycle, by=alice, warnings=[JUMP_WARNING])


@pytest.fixture
def raw_staff(staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_raw_figures"))
    return staff_user


def urls(flagged) -> list[tuple[str, str]]:
    pk = flagged.pk
    return [
        ("get", "/staff/data/outliers/"),
        ("get", f"/staff/data/returns/{pk}/"),
        ("post", f"/staff/data/returns/{pk}/accept/"),
        ("post", f"/staff/data/returns/{pk}/query/"),
        ("post", f"/staff/data/returns/{pk}/exclude/"),
        ("post", f"/staff/data/returns/{pk}/include/"),
        ("get", "/staff/data/compliance/"),
        ("post", f"/staff/data/compliance/{flagged.organisation.pk}/suspend/"),
        ("post", f"/staff/data/compliance/{flagged.organisation.pk}/another-chance/"),
    ]


def test_only_charter_staff_reach_the_review_pages(client, flagged, alice):
    for method, url in urls(flagged):
        client.logout()
        anonymous = getattr(client, method)(url)
        client.force_login(alice)
        member = getattr(client, method)(url)
        assert anonymous.status_code == 302, url
        assert anonymous["Location"].startswith("/accounts/login/")
        assert member.status_code == 403, url
    flagged.refresh_from_db()
    assert flagged.outlier_status == "waiting"
    assert not CycleEvent.objects.exists()


def test_staff_without_the_permission_see_states_never_figures(client, flagged, staff_user):
    client.force_login(staff_user)

    queue = client.get("/staff/data/outliers/")
    page = client.get(f"/staff/data/returns/{flagged.pk}/")

    for response in (queue, page):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Tech employees changed a lot since last year" in html
        assert FIGURE_SHOWN not in html and "Initrode" not in html
        assert 'data-testid="no-raw-figures"' in html
    assert 'data-testid="figures"' not in page.content.decode()
    assert not RawDataAccess.objects.exists()


def test_staff_with_the_permission_see_figures_and_each_view_is_logged(client, flagged, raw_staff):
    client.force_login(raw_staff)

    queue = client.get("/staff/data/outliers/?year=2026")
    page = client.get(f"/staff/data/returns/{flagged.pk}/")

    assert FIGURE_SHOWN in queue.content.decode()
    html = page.content.decode()
    assert FIGURE_SHOWN in html and "We merged with Initrode" in html
    assert 'data-testid="figures"' in html
    logged = list(
        RawDataAccess.objects.order_by("id").values_list(
            "user", "kind", "cycle__year", "organisation", "path"
        )
    )
    assert logged == [
        (raw_staff.pk, "view_queue", 2026, None, "/staff/data/outliers/?year=2026"),
        (
            raw_staff.pk,
            "view_return",
            2026,
            flagged.organisation.pk,
            f"/staff/data/returns/{flagged.pk}/",
        ),
    ]


def test_the_queue_filters_by_cycle_and_state(client, flagged, globex, staff_user):
    older = make_cycle(2025, status="closed")
    submitted_return(globex, older, warnings=[JUMP_WARNING])
    submitted_return(make_organisation("Clean Co", number=9), older)  # no warnings: not queued
    client.force_login(staff_user)

    every = client.get("/staff/data/outliers/")
    in_2025 = client.get("/staff/data/outliers/?year=2025")
    queried = client.get("/staff/data/outliers/?state=queried")
    bad = client.get("/staff/data/outliers/?state=nonsense")

    assert every.content.decode().count('data-testid="outlier-row"') == 2
    assert "Clean Co" not in every.content.decode()
    assert in_2025.content.decode().count('data-testid="outlier-row"') == 1
    assert "Globex" in in_2025.content.decode()
    assert queried.content.decode().count('data-testid="outlier-row"') == 0
    assert bad.status_code == 400 and 'class="error-summary"' in bad.content.decode()


def test_accepting_from_the_return_page(client, flagged, staff_user):
    client.force_login(staff_user)

    response = client.post(f"/staff/data/returns/{flagged.pk}/accept/", {"accept-note": "Fine"})

    assert response.status_code == 302
    assert response["Location"] == f"/staff/data/returns/{flagged.pk}/"
    flagged.refresh_from_db()
    assert flagged.outlier_status == "accepted"
    assert CycleEvent.objects.get().reason == "Fine"
    queue = client.get("/staff/data/outliers/")
    assert queue.content.decode().count('data-testid="outlier-row"') == 0


def test_an_empty_question_is_shown_again_with_its_error_and_writes_nothing(
    client, flagged, staff_user
):
    client.force_login(staff_user)

    response = client.post(f"/staff/data/returns/{flagged.pk}/query/", {"query-message": ""})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_query-message"' in html
    assert 'aria-describedby="id_query-message_error' in html or "id_query-message_error" in html
    assert not ReturnQuery.objects.exists() and not mail.outbox


def test_querying_from_the_return_page_shows_the_thread(
    client, flagged, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/data/returns/{flagged.pk}/query/",
            {"query-message": "Please confirm the merger."},
        )

    assert response.status_code == 302
    page = client.get(f"/staff/data/returns/{flagged.pk}/").content.decode()
    assert "Please confirm the merger." in page and "Waiting for an answer." in page
    assert len(mail.outbox) == 1


def test_excluding_needs_a_reason(client, flagged, staff_user):
    client.force_login(staff_user)

    refused = client.post(f"/staff/data/returns/{flagged.pk}/exclude/", {"exclude-reason": ""})
    done = client.post(
        f"/staff/data/returns/{flagged.pk}/exclude/", {"exclude-reason": "Guessed figures"}
    )

    assert refused.status_code == 400 and done.status_code == 302
    flagged.refresh_from_db()
    assert flagged.excluded_from_report


def test_another_organisations_return_number_that_does_not_exist_is_a_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/staff/data/returns/999999/").status_code == 404


@pytest.mark.parametrize("size", [3, 20])
def test_the_queue_costs_the_same_queries_for_3_and_20_returns(
    client, raw_staff, size, django_assert_num_queries
):
    cycle = make_cycle(2026)
    for number in range(size):
        flagged = submitted_return(
            make_organisation(f"Org {number}", number=100 + number),
            cycle,
            warnings=[JUMP_WARNING],
        )
        ReturnQuery.objects.create(data_return=flagged, message="Why?")
    client.force_login(raw_staff)

    # session, user (with the staff group), the staff two-factor check, cycles, count, 2 permission
    # lookups, the access log insert, the page, its query threads
    with django_assert_num_queries(10):
        response = client.get("/staff/data/outliers/")

    assert response.content.decode().count('data-testid="outlier-row"') == size


def test_the_compliance_page_shows_standings_and_decides(client, acme, globex, staff_user):
    for year in (2024, 2025):
        make_cycle(year, status="closed")
    acme.signed_on = globex.signed_on = dt.date(2020, 1, 1)
    acme.save()
    globex.save()
    submitted_return(acme, make_cycle(2023, status="closed"))
    client.force_login(staff_user)

    page = client.get("/staff/data/compliance/?standing=delisting_proposed").content.decode()
    assert page.count('data-testid="compliance-row"') == 2
    assert f"/staff/data/compliance/{globex.pk}/suspend/" in page

    refused = client.post(f"/staff/data/compliance/{globex.pk}/suspend/", {"suspend-reason": ""})
    assert refused.status_code == 400
    assert f'href="#id_suspend-{globex.pk}-reason"' in refused.content.decode()
    done = client.post(
        f"/staff/data/compliance/{globex.pk}/another-chance/",
        {f"chance-{globex.pk}-reason": "New data lead"},
    )
    assert done.status_code == 302
    suspended = client.post(
        f"/staff/data/compliance/{acme.pk}/suspend/", {f"suspend-{acme.pk}-reason": "Twice"}
    )
    assert suspended.status_code == 302
    acme.refresh_from_db()
    assert acme.status == "suspended"
    after = client.get("/staff/data/compliance/?standing=not_reporting").content.decode()
    assert "Globex" in after and after.count('data-testid="compliance-row"') == 1
    # Already decided: a second decision is refused with the reason shown.
    again = client.post(
        f"/staff/data/compliance/{globex.pk}/suspend/", {f"suspend-{globex.pk}-reason": "x"}
    )
    assert again.status_code == 409


@pytest.mark.parametrize("size", [3, 30])
def test_the_compliance_page_costs_the_same_queries_for_3_and_30(
    client, staff_user, size, django_assert_num_queries
):
    cycles = [make_cycle(year, status="closed") for year in (2024, 2025)]
    for number in range(size):
        organisation = make_organisation(f"Org {number}", number=100 + number)
        submitted_return(organisation, cycles[number % 2])
    client.force_login(staff_user)

    # session, user (with the staff group), the staff two-factor check, then the five of the
    # overview
    with django_assert_num_queries(8):
        response = client.get("/staff/data/compliance/")

    assert response.content.decode().count('data-testid="compliance-row"') == size


def test_every_submitted_return_is_reachable_from_the_compliance_page(client, acme, staff_user):
    """Staff may exclude any return from the report, not only one with warnings: each
    submitted return links to its staff page."""
    quiet = submitted_return(acme, make_cycle(2025, status="closed"))
    client.force_login(staff_user)

    page = client.get("/staff/data/compliance/").content.decode()

    assert page.count('data-testid="return-link"') == 1
    assert f'href="/staff/data/returns/{quiet.pk}/"' in page
    assert client.get(f"/staff/data/returns/{quiet.pk}/").status_code == 200


def test_an_unknown_standing_is_refused_next_to_the_filter(client, acme, staff_user):
    client.force_login(staff_user)

    response = client.get("/staff/data/compliance/?standing=nonsense")

    assert response.status_code == 400
    assert 'href="#id_standing"' in response.content.decode()
