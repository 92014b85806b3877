"""The applicant's pages: /sign/, saving, submitting and the status page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from signatories.choices import ApplicationStatus
from signatories.models import Application
from signatories.services.applications import (
    application_approve,
    application_reject,
    application_request_changes,
)
from tests.conftest import make_user
from tests.signatories.conftest import form_data, submit_application_for


def test_anonymous_visitors_see_what_signing_involves(client):
    response = client.get("/sign/")

    assert response.status_code == 200
    assert b"Create an account to apply" in response.content
    assert b"/accounts/signup/?next=/sign/" in response.content


def test_users_without_a_verified_email_are_sent_to_verify_first(
    client, db, django_capture_on_commit_callbacks
):
    user = make_user("unverified@example.org", verified=False)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/sign/")
        posted = client.post("/sign/application/submit/", form_data())

    assert b"verify" in response.content.lower()
    assert b"Apply to sign the charter" not in response.content
    assert posted.status_code == 200
    assert not Application.objects.exists()
    assert any("Confirm" in message.subject for message in mail.outbox)


def test_the_form_shows_each_pledge_with_its_full_text(client, applicant):
    client.force_login(applicant)

    response = client.get("/sign/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "We commit to pledge 1: A senior, named representative" in html
    assert "wherever possible we put women on every interview shortlist" in html.lower()
    for code in ("people", "plan", "policies", "practice", "data"):
        assert f'name="accepts_{code}"' in html


def test_it_saves_a_partial_draft_and_shows_it_again(client, applicant):
    client.force_login(applicant)

    response = client.post(
        "/sign/application/save/", {"public_name": "Initech", "sector": "software"}
    )

    assert response.status_code == 302
    application = Application.objects.get(applicant=applicant)
    assert (application.status, application.public_name) == (ApplicationStatus.DRAFT, "Initech")
    page = client.get("/sign/").content.decode()
    assert 'value="Initech"' in page
    assert "Draft saved" in page


def test_bad_input_is_explained_kept_and_nothing_is_saved(client, applicant):
    client.force_login(applicant)
    bad = form_data(
        website="not a website",
        companies_house_number="12345X",
        representative_email="rosa-at-initech",
        accepts_data=False,
    )

    response = client.post("/sign/application/submit/", bad)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter the website as a full address" in html
    assert "A Companies House number is 8 characters" in html
    assert "Enter the representative&#x27;s work email" in html
    assert "Accept this pledge: every signatory commits to all five." in html
    assert 'value="Initech Limited"' in html  # what the user typed is still there
    assert 'value="12345X"' in html
    assert not Application.objects.exists()


def test_it_normalises_the_companies_house_number(client, applicant):
    client.force_login(applicant)

    client.post("/sign/application/submit/", form_data(companies_house_number="sc 123456"))

    assert Application.objects.get().companies_house_number == "SC123456"


def test_it_submits_once_whatever_the_number_of_clicks(
    client, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/sign/application/submit/", form_data())
        second = client.post("/sign/application/submit/", form_data())

    application = Application.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/sign/applications/{application.pk}/"
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.events.count() == 1
    assert len(mail.outbox) == 1


def test_a_submitted_application_cannot_be_edited(client, applicant, submitted_application):
    client.force_login(applicant)

    page = client.get("/sign/")
    save = client.post("/sign/application/save/", {"public_name": "Sneaky"})

    assert page.status_code == 302
    assert page["Location"] == f"/sign/applications/{submitted_application.pk}/"
    assert save.status_code == 302
    submitted_application.refresh_from_db()
    assert submitted_application.public_name == "Initech"


def test_the_applicant_edits_and_resubmits_when_changes_are_requested(
    client, applicant, submitted_application, staff_user
):
    application_request_changes(
        application=submitted_application, by=staff_user, message="Add your company number."
    )
    client.force_login(applicant)

    form_page = client.get("/sign/").content.decode()
    response = client.post(
        "/sign/application/submit/", form_data(companies_house_number="SC654321")
    )

    assert "Add your company number." in form_page
    assert response.status_code == 302
    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.SUBMITTED
    assert submitted_application.companies_house_number == "SC654321"


def test_the_status_page_shows_decisions_but_never_internal_comments(
    client, applicant, submitted_application, staff_user
):
    from signatories.services.applications import application_comment

    application_comment(
        application=submitted_application, by=staff_user, message="Looks like a shell company"
    )
    application_request_changes(
        application=submitted_application, by=staff_user, message="Please describe your work."
    )
    client.force_login(applicant)

    html = client.get(f"/sign/applications/{submitted_application.pk}/").content.decode()

    assert "Changes requested" in html
    assert "Please describe your work." in html
    assert "shell company" not in html


def test_nobody_else_can_see_an_application(client, submitted_application, charlie, staff_user):
    url = f"/sign/applications/{submitted_application.pk}/"

    anonymous = client.get(url)
    client.force_login(charlie)
    other_user = client.get(url)
    guessed = client.get(f"/sign/applications/{submitted_application.pk + 1000}/")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert other_user.status_code == 404
    assert guessed.status_code == 404


def test_it_warns_when_the_organisation_may_already_be_a_signatory(client, applicant, acme):
    client.force_login(applicant)

    client.post(
        "/sign/application/save/",
        {"public_name": "Acme again", "website": "https://www.acme-analytics.example/about"},
    )
    html = client.get("/sign/").content.decode()

    assert "may already be a signatory" in html
    assert "/sign/join/acme-analytics/" in html


def test_saving_and_submitting_need_post(client, applicant):
    client.force_login(applicant)

    assert client.get("/sign/application/save/").status_code == 405
    assert client.get("/sign/application/submit/").status_code == 405


def page_marks(html: str) -> dict:
    """The hidden fields a page carries, as a browser would post them back."""
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("application", "last_application")
    }


def test_anonymous_posts_are_sent_to_log_in_and_save_nothing(client, db):
    save = client.post("/sign/application/save/", form_data())
    submit = client.post("/sign/application/submit/", form_data())

    for response in (save, submit):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not Application.objects.exists()


def test_staff_get_404_on_an_applicants_status_page(client, submitted_application, staff_user):
    client.force_login(staff_user)

    response = client.get(f"/sign/applications/{submitted_application.pk}/")

    assert response.status_code == 404


def test_a_first_submit_that_may_duplicate_a_signatory_is_kept_as_a_draft(
    client, applicant, acme, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    marks = page_marks(client.get("/sign/").content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/sign/application/submit/",
            {**form_data(website="https://jobs.acme-analytics.example"), **marks},
        )

    html = response.content.decode()
    assert response.status_code == 409
    assert "may already be a signatory" in html
    assert "/sign/join/acme-analytics/" in html
    assert 'name="different_organisation"' in html
    assert 'value="Initech Limited"' in html  # what the applicant typed is still there
    assert 'value="https://jobs.acme-analytics.example"' in html
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    assert application.public_name == "Initech"
    assert not application.events.exists()
    assert mail.outbox == []


def test_confirming_a_different_organisation_submits_and_tells_the_charter_team(
    client, applicant, acme
):
    client.force_login(applicant)
    posted = form_data(website="https://jobs.acme-analytics.example")
    held = client.post("/sign/application/submit/", posted)
    marks = page_marks(held.content.decode())

    response = client.post(
        "/sign/application/submit/", {**posted, **marks, "different_organisation": "on"}
    )

    application = Application.objects.get()
    assert marks["application"] == str(application.pk)
    assert response.status_code == 302
    assert application.status == ApplicationStatus.SUBMITTED
    event = application.events.get()
    assert event.message == (
        "The applicant confirmed this is a different organisation from: "
        "Acme Analytics (signatory 1)"
    )


def test_a_companies_house_match_with_an_application_under_review_holds_the_submission(
    client, applicant
):
    submit_application_for(
        "milton@initech.example", website="https://other.example", companies_house_number="SC123456"
    )
    client.force_login(applicant)

    response = client.post(
        "/sign/application/submit/", form_data(companies_house_number="sc 123456")
    )

    assert response.status_code == 409
    assert "Someone else has already applied" in response.content.decode()
    assert Application.objects.get(applicant=applicant).status == ApplicationStatus.DRAFT


def test_a_page_posted_again_after_the_decision_changes_nothing(client, applicant, staff_user):
    client.force_login(applicant)
    client.post("/sign/application/save/", {"public_name": "Initech"})
    stale_page = page_marks(client.get("/sign/").content.decode())
    client.post("/sign/application/submit/", {**form_data(), **stale_page})
    application = Application.objects.get()
    application_reject(application=application, by=staff_user, reason="incomplete")

    # The back button, then "submit" again on the page shown before the decision.
    response = client.post("/sign/application/submit/", {**form_data(), **stale_page})
    saved = client.post("/sign/application/save/", {**form_data(), **stale_page})

    assert stale_page["application"] == str(application.pk)
    assert response.status_code == saved.status_code == 302
    assert response["Location"] == f"/sign/applications/{application.pk}/"
    assert "this page was out of date" in client.get(response["Location"]).content.decode()
    assert Application.objects.count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_a_new_application_page_posted_again_after_the_decision_changes_nothing(
    client, applicant, staff_user
):
    client.force_login(applicant)
    fresh_page = page_marks(client.get("/sign/").content.decode())
    client.post("/sign/application/submit/", {**form_data(), **fresh_page})
    application = Application.objects.get()
    application_approve(application=application, by=staff_user)

    response = client.post("/sign/application/submit/", {**form_data(), **fresh_page})

    assert fresh_page == {"application": "", "last_application": ""}
    assert response.status_code == 302
    assert response["Location"] == f"/sign/applications/{application.pk}/"
    assert Application.objects.count() == 1


def test_after_a_rejection_a_fresh_page_starts_a_new_application(
    client, applicant, submitted_application, staff_user
):
    application_reject(application=submitted_application, by=staff_user, reason="incomplete")
    client.force_login(applicant)
    fresh_page = page_marks(client.get("/sign/").content.decode())

    response = client.post("/sign/application/submit/", {**form_data(), **fresh_page})

    assert fresh_page == {"application": "", "last_application": str(submitted_application.pk)}
    newest = Application.objects.latest("pk")
    assert response["Location"] == f"/sign/applications/{newest.pk}/"
    assert newest.pk != submitted_application.pk
    assert newest.status == ApplicationStatus.SUBMITTED


def test_the_applicant_withdraws_a_draft_from_the_status_page(client, applicant):
    client.force_login(applicant)
    client.post("/sign/application/save/", {"public_name": "Initech"})
    application = Application.objects.get()
    status_url = f"/sign/applications/{application.pk}/"

    page = client.get(status_url).content.decode()
    response = client.post(f"{status_url}withdraw/")

    assert f'action="{status_url}withdraw/"' in page
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert list(application.events.values_list("kind", flat=True)) == ["withdrawn"]
    after = client.get(status_url).content.decode()
    assert "You withdrew this application" in after
    assert "withdraw/" not in after


def test_nobody_else_can_withdraw_an_application(client, applicant, charlie, staff_user):
    from signatories.services.applications import application_get_or_start

    application = application_get_or_start(applicant=applicant)
    url = f"/sign/applications/{application.pk}/withdraw/"

    anonymous = client.post(url)
    client.force_login(charlie)
    other_user = client.post(url)
    client.force_login(staff_user)
    staff = client.post(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert other_user.status_code == staff.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_submitted_application_cannot_be_withdrawn(client, applicant, submitted_application):
    client.force_login(applicant)
    url = f"/sign/applications/{submitted_application.pk}/"

    page = client.get(url).content.decode()
    response = client.post(f"{url}withdraw/", follow=True)

    assert "withdraw/" not in page
    assert "can no longer be withdrawn" in response.content.decode()
    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.SUBMITTED


def test_asking_to_join_a_signatory_offers_to_withdraw_the_applicants_draft(
    client, applicant, acme
):
    client.force_login(applicant)
    client.post("/sign/application/save/", {"website": "https://acme-analytics.example"})
    application = Application.objects.get()

    response = client.post("/sign/join/acme-analytics/", {"job_title": "Engineer"}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/sign/applications/{application.pk}/"
    assert "you can withdraw it below" in html
    assert "Withdraw this application" in html


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_make_one_application(require_postgres):
    from django.test import Client

    from signatories.models import ApplicationEvent
    from tests.concurrency import run_concurrently

    applicant = make_user("racer@initech.example")
    clients = [Client(), Client()]
    for browser in clients:
        browser.force_login(applicant)
    fresh_page = {"application": "", "last_application": ""}

    results, errors = run_concurrently(
        [
            lambda browser=browser: browser.post(
                "/sign/application/submit/", {**form_data(), **fresh_page}
            )
            for browser in clients
        ]
    )

    assert errors == [None, None]
    assert [response.status_code for response in results] == [302, 302]
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert ApplicationEvent.objects.filter(kind="submitted").count() == 1
