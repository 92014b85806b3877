"""The applicant's pages: /sign/, saving, submitting and the status page."""

from __future__ import annotations

from django.core import mail

from signatories.choices import ApplicationStatus
from signatories.models import Application
from signatories.services.applications import application_request_changes
from tests.conftest import make_user
from tests.signatories.conftest import form_data


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
        companies_house_number="12345",
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
    assert 'value="12345"' in html
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
