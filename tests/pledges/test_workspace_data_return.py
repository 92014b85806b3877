"""The return form in the workspace: drafts, errors kept with what was typed, submission with
warnings and late reasons, the read-only view of a closed year, and concurrent saves."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from pledges.models import DataReturn, ReturnRevision
from pledges.services.returns import return_get_or_start, return_submit
from tests.conftest import make_cycle, valid_figures

pytestmark = pytest.mark.django_db

URL = "/dashboard/acme-analytics/data/2026/"
IN_OCTOBER = dt.datetime(2026, 10, 10, 12, tzinfo=dt.UTC)


def form_data(version: int = 1, **overrides) -> dict:
    """What the page posts for valid_figures(), as the browser sends it."""
    data = {
        "version": str(version),
        "snapshot_date": "2026-04-05",
        "total_employees": "120",
        "tech_total": "40",
        "tech_women": "10",
        "tech_men": "28",
        "tech_non_binary": "1",
        "tech_gender_undisclosed": "1",
        "tech_ethnic_minority": "9",
        "tech_white": "29",
        "tech_ethnicity_undisclosed": "2",
        "senior_total": "6",
        "senior_women": "2",
        "senior_ethnic_minority": "1",
        "disabled_collected": "no",
        "neurodivergent_collected": "no",
        "low_socioeconomic_collected": "no",
        "trans_collected": "no",
        "retention": "keep",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def october():
    with time_machine.travel(IN_OCTOBER, tick=False):
        yield


@pytest.fixture
def alice_client(client, alice, acme_workspace, open_cycle, october):
    client.force_login(alice)
    return client


def the_return() -> DataReturn:
    return DataReturn.objects.get(organisation__slug="acme-analytics", cycle__year=2026)


def test_the_first_visit_starts_one_shared_draft_showing_every_section_incomplete(alice_client):
    page = alice_client.get(URL).content.decode()

    assert DataReturn.objects.count() == 1
    assert "Still incomplete" in page
    for section in ("Headcount", "Tech employees by gender", "Senior tech roles"):
        assert f"<li>{section}</li>" in page
    assert 'name="submit"' in page and 'name="save"' in page


def test_a_draft_is_saved_without_being_submitted_and_lists_what_is_still_incomplete(
    alice_client, django_capture_on_commit_callbacks
):
    alice_client.get(URL)
    data = form_data(tech_ethnic_minority="", tech_white="", tech_ethnicity_undisclosed="")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(URL, {**data, "save": "1"})

    assert response.status_code == 302 and response.url == URL
    saved = the_return()
    assert (saved.status, saved.tech_total, saved.version, saved.revision_count) == (
        "draft",
        40,
        2,
        0,
    )
    page = alice_client.get(URL).content.decode()
    assert "<li>Tech employees by ethnicity</li>" in page
    assert "<li>Headcount</li>" not in page
    assert mail.outbox == []


def test_a_non_number_is_shown_by_its_field_and_in_the_summary_and_nothing_is_saved(
    alice_client,
):
    alice_client.get(URL)
    response = alice_client.post(
        URL, {**form_data(tech_women="ten", senior_total="-1"), "save": "1"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_tech_women"' in page and 'href="#id_senior_total"' in page
    assert 'id="id_tech_women_error"' in page
    assert 'aria-describedby="id_tech_women_error"' in page
    assert "Enter a whole number, like 12." in page and "Enter 0 or more." in page
    assert 'value="ten"' in page  # what was typed is kept
    assert the_return().version == 1 and the_return().tech_total is None


def test_figures_that_break_a_rule_are_refused_on_submit_with_each_error_by_its_field(
    alice_client,
):
    alice_client.get(URL)
    response = alice_client.post(
        URL, {**form_data(tech_women="11", snapshot_date="2026-11-01"), "submit": "1"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The return was not submitted" in page
    assert "add up to 41" in page and 'href="#id_tech_women"' in page
    assert "The snapshot date must be between 1 March 2026 and 30 September 2026." in page
    assert 'value="11"' in page and 'value="2026-11-01"' in page
    data_return = the_return()
    assert (data_return.status, data_return.version, data_return.tech_total) == ("draft", 1, None)
    assert not ReturnRevision.objects.exists()


def test_a_lens_number_given_while_not_collected_is_an_error(alice_client):
    alice_client.get(URL)
    response = alice_client.post(URL, {**form_data(disabled="3"), "save": "1"})

    assert response.status_code == 400
    assert "Choose &quot;Collected&quot; to give this number" in response.content.decode()


def test_ethnicity_not_collected_and_optional_parts_are_stored(alice_client):
    alice_client.get(URL)
    data = form_data(
        tech_ethnic_minority="",
        tech_white="",
        tech_ethnicity_undisclosed="",
        ethnicity_not_collected="on",
        disabled_collected="yes",
        disabled="2",
        family_data_total="5",
        family_data_women="2",
        structured_interviews="yes",
        returner_programme="no",
        retention="delete",
    )
    response = alice_client.post(URL, {**data, "submit": "1"})

    assert response.status_code == 302
    revision = ReturnRevision.objects.get()
    assert revision.ethnicity_collected is False and revision.tech_white is None
    assert (revision.disabled_collected, revision.disabled) == (True, 2)
    assert (revision.neurodivergent_collected, revision.neurodivergent) == (False, None)
    assert (revision.family_data_total, revision.family_data_women) == (5, 2)
    assert (revision.structured_interviews, revision.returner_programme) == (True, False)
    assert revision.published_pay_gap is None
    assert revision.retention == "delete"


def test_submitting_gives_a_receipt_and_emails_the_reference_without_figures(
    alice_client, acme_workspace, bob, django_capture_on_commit_callbacks
):
    acme_workspace.data_contact_email = "dora@acme.example"
    acme_workspace.save()
    alice_client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(URL, {**form_data(), "submit": "1"})

    assert response.status_code == 302
    assert response.url == "/dashboard/acme-analytics/data/2026/receipts/1/"
    page = alice_client.get(response.url).content.decode()
    assert "Receipt 2026-1-r1" in page and "Alice Adams" in page
    [email] = mail.outbox
    # the submitter and the only admin are alice; bob is an editor; dora is the data contact
    assert sorted(email.to) == ["alice@acme.example", "dora@acme.example"]
    assert "2026-1-r1" in email.subject and "2026-1-r1" in email.body
    assert "/dashboard/acme-analytics/data/2026/receipts/1/" in email.body
    assert "120" not in email.body and "40" not in email.body  # no figures in email


def test_the_receipt_email_goes_to_the_submitter_when_an_editor_submits(
    client, bob, alice, acme_workspace, open_cycle, october, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**form_data(), "submit": "1"})

    [email] = mail.outbox
    assert sorted(email.to) == ["alice@acme.example", "bob@acme.example"]


def last_year_submitted(organisation, alice, **overrides):
    cycle = make_cycle(2025, status="closed")
    data_return = return_get_or_start(cycle=cycle, organisation=organisation)
    with time_machine.travel(dt.datetime(2025, 10, 10, 12, tzinfo=dt.UTC), tick=False):
        cycle.status = "open"
        cycle.save()
        return_submit(
            data_return=data_return,
            by=alice,
            figures=valid_figures(2025, **overrides),
            version=data_return.version,
        )
    cycle.status = "closed"
    cycle.save()


def test_a_warning_is_confirmed_or_explained_before_the_return_is_submitted(
    client, alice, acme_workspace
):
    # Last year 100 tech staff; this year 40: a jump of more than half and more than 20.
    last_year_submitted(
        acme_workspace,
        alice,
        tech_total=100,
        tech_women=25,
        tech_men=73,
        tech_ethnic_minority=20,
        tech_white=78,
    )
    make_cycle(2026)
    mail.outbox.clear()
    client.force_login(alice)
    with time_machine.travel(IN_OCTOBER, tick=False):
        client.get(URL)
        refused = client.post(URL, {**form_data(), "submit": "1"})

        assert refused.status_code == 400
        page = refused.content.decode()
        assert "Tech employees went from 100 last year to 40." in page
        assert 'href="#id_confirm_tech_total_jump"' in page
        assert "Confirm this figure or explain it." in page
        assert not ReturnRevision.objects.filter(data_return__cycle__year=2026).exists()

        explained = client.post(
            URL,
            {
                **form_data(),
                "note_tech_total_jump": "We sold our consulting arm.",
                "submit": "1",
            },
        )

    assert explained.status_code == 302
    revision = ReturnRevision.objects.get(data_return__cycle__year=2026)
    assert [(w["code"], w["note"]) for w in revision.warnings] == [
        ("tech_total_jump", "We sold our consulting arm.")
    ]
    assert revision.data_return.outlier_status == "waiting"


def test_ticking_the_figure_is_right_confirms_a_warning(client, alice, acme_workspace):
    acme_workspace.size_band = "1-9"  # 120 employees is outside it
    acme_workspace.save()
    make_cycle(2026)
    client.force_login(alice)
    with time_machine.travel(IN_OCTOBER, tick=False):
        client.get(URL)
        assert client.post(URL, {**form_data(), "submit": "1"}).status_code == 400
        response = client.post(
            URL,
            {
                **form_data(),
                "note_outside_size_band": "",
                "confirm_outside_size_band": "on",
                "submit": "1",
            },
        )

    assert response.status_code == 302
    [warning] = ReturnRevision.objects.get().warnings
    assert warning["note"] == "Confirmed: the figure is right."


def test_a_late_return_asks_why_and_records_the_reason(client, alice, acme_workspace):
    make_cycle(2026)
    DataReturn.objects.create(
        cycle_id=make_cycle_id(2026),
        organisation=acme_workspace,
        reopened_until=dt.date(2026, 11, 20),
    )
    client.force_login(alice)
    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
        page = client.get(URL).content.decode()
        assert "it will be marked late" in page
        refused = client.post(URL, {**form_data(), "submit": "1"})
        assert refused.status_code == 400
        assert 'href="#id_late_reason"' in refused.content.decode()
        assert not ReturnRevision.objects.exists()
        response = client.post(
            URL, {**form_data(), "late_reason": "Our HR system migration.", "submit": "1"}
        )

    assert response.status_code == 302
    data_return = the_return()
    assert (data_return.is_late, data_return.late_reason) == (True, "Our HR system migration.")


def make_cycle_id(year: int) -> int:
    from pledges.models import ReportingCycle

    return ReportingCycle.objects.get(year=year).pk


def test_a_closed_year_is_read_only_with_the_routes_to_more_time(client, alice, acme_workspace):
    make_cycle(2026, status="closed")
    client.force_login(alice)
    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
        response = client.get(URL)
        posted = client.post(URL, {**form_data(), "submit": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "closed on 31 October 2026" in page
    assert "Ask for a grace extension" in page
    assert "<form" not in page.split('id="closed"')[1].split("</main>")[0]
    assert not DataReturn.objects.exists()  # a visit to a closed year creates nothing
    assert posted.status_code == 302 and not DataReturn.objects.exists()


def test_an_amendment_makes_a_new_revision_and_the_history_shows_before_and_after(
    alice_client,
):
    alice_client.get(URL)
    alice_client.post(URL, {**form_data(), "submit": "1"})
    version = the_return().version
    response = alice_client.post(URL, {**form_data(version, total_employees="130"), "submit": "1"})

    assert response.url.endswith("/receipts/2/")
    page = alice_client.get(URL + "history/").content.decode()
    assert "Revision 2: 2026-1-r2" in page and "Revision 1: 2026-1-r1" in page
    assert '<th scope="row">Total employees</th><td>120</td><td>130</td>' in page


def test_a_stale_save_is_refused_with_what_the_other_member_changed_and_keeps_the_typing(
    client, alice, bob, acme_workspace, open_cycle, october
):
    from django.test import Client

    client.force_login(alice)
    opened = client.get(URL).content.decode()
    bobs = Client()
    bobs.force_login(bob)
    bobs.get(URL)
    # alice and bob opened version 1; bob saves first
    assert bobs.post(URL, {**form_data(total_employees="200"), "save": "1"}).status_code == 302
    signed = opened.split('name="opened" value="')[1].split('"')[0]

    response = client.post(
        URL, {**form_data(total_employees="150", tech_total="41"), "opened": signed, "save": "1"}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this return first" in page
    assert "Total employees</dt><dd>Was: (empty)<br>Now: 200" in page
    assert 'value="150"' in page and 'value="41"' in page
    assert 'name="version" value="2"' in page
    assert the_return().total_employees == 200


def test_the_return_page_makes_a_fixed_number_of_queries(alice_client, django_assert_num_queries):
    alice_client.get(URL)
    alice_client.post(URL, {**form_data(), "submit": "1"})

    # session, user (with the navigation's flags), memberships (with the organisation
    # switcher's), the return with its cycle and last editor
    with django_assert_num_queries(4):
        response = alice_client.get(URL)

    assert response.status_code == 200
