"""Shared practices: drafting, staff moderation, the members' library and the public page."""

from __future__ import annotations

import pytest

from pledges.models import Practice
from pledges.services.commitments import PracticeData, practice_create

PRACTICE = {
    "title": "Returners programme",
    "summary": "Paid placements for people returning to tech.",
    "body": "We ran **two** cohorts.\n\n<script>alert(1)</script>\n\n[More](javascript:alert(1))",
    "topics": ["retention", "recruitment"],
}


@pytest.fixture
def draft(acme_workspace, alice) -> Practice:
    return practice_create(
        organisation=acme_workspace,
        by=alice,
        data=PracticeData(
            title=PRACTICE["title"],
            summary=PRACTICE["summary"],
            body=PRACTICE["body"],
            topics=PRACTICE["topics"],
            anonymous=False,
        ),
    )


def test_a_member_shares_a_practice_and_submits_it(client, bob, acme_workspace):
    client.force_login(bob)

    response = client.post("/dashboard/acme-analytics/practices/new/", PRACTICE)
    practice = Practice.objects.get()
    client.post(f"/dashboard/acme-analytics/practices/{practice.pk}/submit/")

    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "submitted"
    assert practice.topics == ["recruitment", "retention"]


def test_a_practice_needs_a_topic(client, bob, acme_workspace):
    client.force_login(bob)

    response = client.post("/dashboard/acme-analytics/practices/new/", {**PRACTICE, "topics": []})

    assert response.status_code == 400
    assert "Choose at least one topic." in response.content.decode()
    assert not Practice.objects.exists()


def test_markdown_is_rendered_and_sanitised(client, alice, draft):
    client.force_login(alice)

    page = client.get(f"/dashboard/acme-analytics/practices/{draft.pk}/").content.decode()

    assert "<strong>two</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page


def test_staff_return_a_practice_with_comments_then_approve_it(
    client, staff_user, alice, draft, charlie, globex_workspace
):
    draft.status = "submitted"
    draft.save()
    client.force_login(staff_user)
    assert draft.title in client.get("/staff/practices/").content.decode()

    client.post(f"/staff/practices/{draft.pk}/return/", {"comment": "Add your results."})
    draft.refresh_from_db()
    assert (draft.status, draft.review_comment) == ("returned", "Add your results.")

    client.force_login(alice)
    page = client.get(f"/dashboard/acme-analytics/practices/{draft.pk}/").content.decode()
    assert "Add your results." in page
    client.post(f"/dashboard/acme-analytics/practices/{draft.pk}/submit/")

    client.force_login(staff_user)
    client.post(f"/staff/practices/{draft.pk}/approve/")
    draft.refresh_from_db()
    assert draft.status == "published"

    # Any signatory's member finds it in the library, by word and by topic.
    client.force_login(charlie)
    found = client.get("/dashboard/globex/library/?q=returners&topic=retention").content.decode()
    other_topic = client.get("/dashboard/globex/library/?topic=data").content.decode()
    assert draft.title in found and draft.title not in other_topic
    assert "Acme Analytics" in found


def test_an_anonymous_practice_hides_the_organisation(client, charlie, draft, globex_workspace):
    Practice.objects.filter(pk=draft.pk).update(anonymous=True, status="published")
    client.force_login(charlie)

    page = client.get("/dashboard/globex/library/").content.decode()

    assert "An anonymous signatory" in page and "Acme Analytics" not in page


def test_staff_make_a_published_practice_public(client, staff_user, draft):
    assert client.get(f"/practices/{draft.pk}/").status_code == 404
    client.force_login(staff_user)
    refused = client.post(f"/staff/practices/{draft.pk}/public/", {"public": "1"}, follow=True)
    assert "Only a published practice" in refused.content.decode()

    Practice.objects.filter(pk=draft.pk).update(status="published")
    client.post(f"/staff/practices/{draft.pk}/public/", {"public": "1"})
    client.logout()

    assert draft.title in client.get("/practices/").content.decode()
    assert client.get(f"/practices/{draft.pk}/").status_code == 200


def test_only_staff_moderate(client, alice, draft):
    assert client.get("/staff/practices/").status_code == 302
    client.force_login(alice)
    assert client.get("/staff/practices/").status_code == 403
    assert client.post(f"/staff/practices/{draft.pk}/approve/").status_code == 403


def test_editing_a_published_practice_sends_it_back_to_review(client, alice, draft):
    Practice.objects.filter(pk=draft.pk).update(status="published", is_public=True)
    client.force_login(alice)

    client.post(f"/dashboard/acme-analytics/practices/{draft.pk}/edit/", PRACTICE)

    draft.refresh_from_db()
    assert (draft.status, draft.is_public) == ("submitted", False)
