"""The staff workspace: the queue, the review page and the decisions made from it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from signatories.choices import ApplicationEventKind, ApplicationStatus
from signatories.models import Application, ApplicationEvent, Organisation
from signatories.services.applications import application_approve, application_reject
from tests.signatories.conftest import submit_application_for

STAFF_URLS = [
    ("get", "/staff/"),
    ("get", "/staff/applications/"),
    ("get", "/staff/applications/{pk}/"),
    ("post", "/staff/applications/{pk}/approve/"),
    ("post", "/staff/applications/{pk}/request-changes/"),
    ("post", "/staff/applications/{pk}/reject/"),
    ("post", "/staff/applications/{pk}/comment/"),
]


@pytest.mark.parametrize(("method", "url"), STAFF_URLS)
def test_only_charter_staff_reach_staff_urls(client, submitted_application, alice, method, url):
    url = url.format(pk=submitted_application.pk)

    anonymous = getattr(client, method)(url)
    client.force_login(alice)
    not_staff = getattr(client, method)(url)
    client.force_login(submitted_application.applicant)
    applicant = getattr(client, method)(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert not_staff.status_code == 403
    assert applicant.status_code == 403
    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.SUBMITTED


def test_superusers_are_staff_too(client, db):
    from tests.conftest import make_user

    client.force_login(make_user("root@charter.example", is_superuser=True, is_staff=True))

    assert client.get("/staff/applications/").status_code == 200


def test_the_queue_lists_oldest_first_with_age_and_counts(
    client, staff_user, django_assert_num_queries
):
    with time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        older = submit_application_for("old@example.org", public_name="Older Org")
    with time_machine.travel(dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC), tick=False):
        newer = submit_application_for("new@example.org", public_name="Newer Org")
        rejected = submit_application_for("rej@example.org", public_name="Rejected Org")
        application_reject(application=rejected, by=staff_user, reason="incomplete")
    client.force_login(staff_user)

    with time_machine.travel(dt.datetime(2026, 2, 20, 9, tzinfo=dt.UTC), tick=False):
        response = client.get("/staff/applications/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(str(older)) < html.index(str(newer))
    assert "Rejected Org" not in html
    assert '<span data-testid="count-submitted">(2)</span>' in html
    assert '<span data-testid="count-rejected">(1)</span>' in html
    assert "<td>41</td>" in html  # days since 10 January
    assert "<td>10</td>" in html


def test_the_queue_filters_by_state_and_searches_by_name(client, staff_user):
    submit_application_for("a@example.org", public_name="Alpha Labs", legal_name="Alpha Ltd")
    submit_application_for("b@example.org", public_name="Beta Works", legal_name="Zed Ltd")
    rejected = submit_application_for("c@example.org", public_name="Gamma")
    application_reject(application=rejected, by=staff_user, reason="incomplete")
    client.force_login(staff_user)

    by_name = client.get("/staff/applications/?q=alpha").content.decode()
    by_legal_name = client.get("/staff/applications/?q=zed").content.decode()
    by_state = client.get("/staff/applications/?state=rejected").content.decode()
    unknown_state = client.get("/staff/applications/?state=bogus")

    assert "Alpha Labs" in by_name and "Beta Works" not in by_name
    assert "Beta Works" in by_legal_name and "Alpha Labs" not in by_legal_name
    assert "Gamma" in by_state and "Alpha Labs" not in by_state
    assert unknown_state.status_code == 200
    assert "Unknown state" in unknown_state.content.decode()


def test_the_queue_searches_names_as_the_directory_does(client, staff_user):
    submit_application_for(
        "s@example.org", public_name="Société Générale Tech", legal_name="SGT Ltd"
    )
    submit_application_for("z@example.org", public_name="Zürich Øresund", legal_name="ZØ AG")
    submit_application_for("o@example.org", public_name="Other Org", legal_name="Other Ltd")
    client.force_login(staff_user)

    def found(query: str) -> list[str]:
        html = client.get("/staff/applications/", {"q": query}).content.decode()
        names = ["Société Générale Tech", "Zürich Øresund", "Other Org"]
        return [name for name in names if name in html]

    assert found("societe") == ["Société Générale Tech"]
    assert found("GENERALE soc") == ["Société Générale Tech"]  # every word, any order, any case
    assert found("Générale") == ["Société Générale Tech"]
    assert found("zurich oresund") == ["Zürich Øresund"]
    assert found("sgt") == ["Société Générale Tech"]  # the legal name too
    assert found("societe other") == []  # every word must match, not any


@pytest.mark.parametrize("query", ["", "queued", "quéued 1"])
@pytest.mark.parametrize("size", [3, 30])
def test_the_queue_makes_a_fixed_number_of_queries(
    client, staff_user, size, query, django_assert_num_queries
):
    for i in range(size):
        submit_application_for(f"queue{i}@example.org", public_name=f"Queued {i}")
    client.force_login(staff_user)

    # session, user (with the staff group check), authenticator (staff pages need one), counts,
    # page count, page rows (applicants joined)
    with django_assert_num_queries(6):
        response = client.get("/staff/applications/", {"q": query})

    assert response.status_code == 200
    assert response.content.decode().count("Queued ") >= (1 if query else size)


def test_the_review_page_shows_everything_and_internal_comments(
    client, staff_user, submitted_application, acme
):
    submitted_application.website_domain = "acme-analytics.example"
    submitted_application.save()
    client.force_login(staff_user)
    client.post(
        f"/staff/applications/{submitted_application.pk}/comment/",
        {"comment-message": "Called them to check."},
    )

    html = client.get(f"/staff/applications/{submitted_application.pk}/").content.decode()

    for text in (
        "Initech Limited",
        "01234567",
        "Rosa Reyes",
        "Chief People Officer",
        "Every shortlist has at least one woman.",
        "Possible duplicates",
        "Acme Analytics",
        "Called them to check.",
        "staff only",
    ):
        assert text in html


def test_staff_approve_from_the_review_page(
    client, staff_user, submitted_application, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/applications/{submitted_application.pk}/approve/", {"approve-note": ""}
        )

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.public_name == "Initech"
    assert {tuple(message.to) for message in mail.outbox} >= {
        ("peter@initech.example",),
        ("rosa@initech.example",),
    }
    public = client.get(organisation.get_absolute_url())
    assert public.status_code == 200
    assert "Rosa Reyes" in public.content.decode()


def test_deciding_an_already_decided_application_says_so(client, staff_user, submitted_application):
    application_approve(application=submitted_application, by=staff_user)
    client.force_login(staff_user)

    response = client.post(
        f"/staff/applications/{submitted_application.pk}/reject/", {"reject-reason": "incomplete"}
    )

    assert response.status_code == 409
    assert "already approved" in response.content.decode()
    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.APPROVED


def test_request_changes_needs_a_message_and_keeps_nothing_half_done(
    client, staff_user, submitted_application
):
    client.force_login(staff_user)

    response = client.post(
        f"/staff/applications/{submitted_application.pk}/request-changes/", {"changes-message": ""}
    )

    assert response.status_code == 400
    assert "Say what the applicant needs to change." in response.content.decode()
    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.SUBMITTED
    assert not ApplicationEvent.objects.filter(kind=ApplicationEventKind.CHANGES_REQUESTED).exists()


def test_reject_needs_a_reason_and_keeps_the_note(client, staff_user, submitted_application):
    client.force_login(staff_user)

    response = client.post(
        f"/staff/applications/{submitted_application.pk}/reject/",
        {"reject-reason": "", "reject-note": "Typed note"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose a reason for rejecting the application." in html
    assert "Typed note" in html
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_an_unknown_application_is_404_for_staff(client, staff_user):
    client.force_login(staff_user)

    assert client.get("/staff/applications/999999/").status_code == 404
    assert client.post("/staff/applications/999999/approve/").status_code == 404


def test_staff_request_changes_emails_the_applicant_and_records_it(
    client, staff_user, submitted_application, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/applications/{submitted_application.pk}/request-changes/",
            {"changes-message": "Please add your Companies House number."},
        )

    assert response.status_code == 302
    assert response["Location"] == f"/staff/applications/{submitted_application.pk}/"
    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.CHANGES_REQUESTED
    event = submitted_application.events.get(kind=ApplicationEventKind.CHANGES_REQUESTED)
    assert (event.actor, event.message, event.internal) == (
        staff_user,
        "Please add your Companies House number.",
        False,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["peter@initech.example"]
    assert mail.outbox[0].subject == "Changes needed to your charter application"
    assert "Please add your Companies House number." in mail.outbox[0].body
    assert f"/sign/applications/{submitted_application.pk}/" in mail.outbox[0].body


def test_staff_reject_emails_the_reason_and_records_it(
    client, staff_user, submitted_application, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/applications/{submitted_application.pk}/reject/",
            {"reject-reason": "unverifiable", "reject-note": "The website does not load."},
        )

    assert response.status_code == 302
    submitted_application.refresh_from_db()
    assert submitted_application.status == ApplicationStatus.REJECTED
    assert submitted_application.decided_by == staff_user
    event = submitted_application.events.get(kind=ApplicationEventKind.REJECTED)
    assert (event.actor, event.rejection_reason, event.message) == (
        staff_user,
        "unverifiable",
        "The website does not load.",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["peter@initech.example"]
    assert mail.outbox[0].subject == "Your charter application was not approved"
    assert "We could not verify the organisation" in mail.outbox[0].body
    assert "The website does not load." in mail.outbox[0].body


def test_unsubmitted_drafts_are_404_for_staff(client, staff_user, applicant):
    from signatories.services.applications import application_get_or_start

    draft = application_get_or_start(applicant=applicant)
    client.force_login(staff_user)

    review = client.get(f"/staff/applications/{draft.pk}/")
    comment = client.post(f"/staff/applications/{draft.pk}/comment/", {"comment-message": "Hm"})
    reject = client.post(f"/staff/applications/{draft.pk}/reject/", {"reject-reason": "incomplete"})

    assert review.status_code == comment.status_code == reject.status_code == 404
    assert not ApplicationEvent.objects.exists()


def test_the_comment_form_closes_once_the_application_is_decided(
    client, staff_user, submitted_application
):
    client.force_login(staff_user)
    url = f"/staff/applications/{submitted_application.pk}/"

    before = client.get(url).content.decode()
    application_approve(application=submitted_application, by=staff_user)
    after = client.get(url).content.decode()
    late = client.post(f"{url}comment/", {"comment-message": "Too late"})

    assert f'action="{url}comment/"' in before
    assert f'action="{url}comment/"' not in after
    assert "comments are closed" in after
    assert late.status_code == 409
    assert "comments can be added only until it is decided" in late.content.decode()
    assert not ApplicationEvent.objects.filter(kind=ApplicationEventKind.COMMENT).exists()


def test_the_review_page_makes_a_fixed_number_of_queries(
    client, staff_user, submitted_application, django_assert_max_num_queries
):
    from signatories.services.applications import application_comment

    for number in range(5):
        application_comment(
            application=submitted_application, by=staff_user, message=f"Note {number}"
        )
    client.force_login(staff_user)

    with django_assert_max_num_queries(8):
        response = client.get(f"/staff/applications/{submitted_application.pk}/")

    assert response.status_code == 200
