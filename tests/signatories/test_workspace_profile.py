"""The overview, the public profile and its logo, the data contact, withdrawing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from pledges.models import PledgeAction, PledgeCommitment
from signatories.models import Membership, Organisation
from tests.conftest import make_commitments, make_organisation, make_user

PROFILE = {
    "public_name": "Acme Analytics",
    "description": "We analyse things.",
    "website": "https://acme.example",
    "sector": "software",
    "size_band": "50-249",
    "region": "london",
}


@pytest.fixture(autouse=True)
def media_in_tmp(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield


def image_bytes(image_format: str, size=(1200, 600)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, "purple").save(output, format=image_format)
    return output.getvalue()


def upload(client, name: str, content: bytes, content_type="image/png"):
    return client.post(
        "/dashboard/acme-analytics/profile/",
        {**PROFILE, "logo_upload": SimpleUploadedFile(name, content, content_type=content_type)},
    )


# --- Overview and the organisation list --------------------------------------------------------


def test_a_member_of_one_organisation_goes_straight_to_its_overview(client, bob, acme_workspace):
    client.force_login(bob)

    response = client.get("/dashboard/")

    assert response.status_code == 302 and response.url == "/dashboard/acme-analytics/"


def test_a_member_of_several_organisations_chooses_and_can_switch(
    client, alice, acme_workspace, globex_workspace
):
    Membership.objects.create(organisation=globex_workspace, user=alice, role="editor")
    client.force_login(alice)

    page = client.get("/dashboard/").content.decode()
    overview = client.get("/dashboard/acme-analytics/").content.decode()

    assert "Acme Analytics" in page and "Globex" in page
    assert 'href="/dashboard/globex/"' in overview


def test_someone_in_no_organisation_is_offered_to_sign_or_join(client, db):
    client.force_login(make_user("newcomer@example.org"))

    page = client.get("/dashboard/").content.decode()

    assert "Apply to sign" in page and "ask its admins to add you" in page


def test_the_overview_shows_pledges_representative_team_and_what_needs_attention(
    client, alice, acme_workspace
):
    client.force_login(alice)

    page = client.get("/dashboard/acme-analytics/").content.decode()

    assert "Dana Director" in page and "Not confirmed yet" in page
    assert "Bob Brown" in page
    assert "Write your public commitment statement." in page
    assert "Name a data contact" in page


@pytest.mark.parametrize("organisations", [1, 8])
def test_the_overview_makes_a_fixed_number_of_queries(
    client, alice, acme_workspace, organisations, django_assert_num_queries
):
    for number in range(organisations):
        other = make_organisation(f"Other {number}", number=100 + number)
        make_commitments(other)
        Membership.objects.create(organisation=other, user=alice, role="editor")
    client.force_login(alice)

    # session, user (with the nav flags), memberships (with the switcher's), commitments, the
    # data pledge's open query and current cycle (none here: pledges.selectors.data_returns),
    # representative, team, join requests, returned practices
    with django_assert_num_queries(10):
        response = client.get("/dashboard/acme-analytics/")

    assert response.status_code == 200


def pledge_row(page: str, code: str) -> str:
    """The overview table's row of one pledge, found by the link to its page."""
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")
    return next(row for row in rows if f"/pledges/{code}/" in row.split("</th>")[0])


def started_commitment(organisation, code: str):
    commitment = PledgeCommitment.objects.get(organisation=organisation, pledge__code=code)
    commitment.public_statement = "We commit."
    commitment.progress_status = "in_progress"
    commitment.reviewed_at = timezone.now()
    commitment.save()
    return commitment


def add_action(commitment, description: str, due_on=None, done: bool = False):
    return PledgeAction.objects.create(
        commitment=commitment,
        description=description,
        due_on=due_on,
        done_at=timezone.now() if done else None,
    )


@time_machine.travel(dt.datetime(2027, 1, 15, 9, tzinfo=dt.UTC), tick=False)
def test_the_overview_names_each_pledges_next_open_action_and_its_due_date(
    client, alice, acme_workspace
):
    plan = started_commitment(acme_workspace, "plan")
    add_action(plan, "Write the hiring plan")  # undated: after every dated one
    add_action(plan, "Run the staff survey", due_on=dt.date(2027, 5, 1))
    add_action(plan, "Brief the board", due_on=dt.date(2027, 3, 3))
    add_action(plan, "Book the venue", due_on=dt.date(2027, 2, 1), done=True)  # done: not next
    policies = started_commitment(acme_workspace, "policies")
    add_action(policies, "Publish the pay gap", due_on=dt.date(2027, 1, 2))
    add_action(policies, "Update the handbook", due_on=dt.date(2027, 1, 20))
    practice = started_commitment(acme_workspace, "practice")
    add_action(practice, "Share a practice")  # the oldest of two undated actions
    add_action(practice, "Share another practice")
    client.force_login(alice)

    page = client.get("/dashboard/acme-analytics/").content.decode()

    plan_row = pledge_row(page, "plan")
    assert "3 open actions" in plan_row
    assert "Next action: Brief the board,\n" in plan_row
    assert "due 3 March 2027." in plan_row
    assert "Nothing to do." not in plan_row
    policies_row = pledge_row(page, "policies")
    assert "Next action: Publish the pay gap" in policies_row
    assert '<span class="tag tag--error">overdue</span> since 2 January 2027.' in policies_row
    assert "1 action is overdue." in policies_row  # the pledge's step still comes first
    practice_row = pledge_row(page, "practice")
    assert "Next action: Share a practice,\n" in practice_row
    assert "no due date." in practice_row


def test_a_pledge_with_nothing_open_and_nothing_to_do_says_so(client, alice, acme_workspace):
    plan = started_commitment(acme_workspace, "plan")
    add_action(plan, "Book the venue", done=True)
    client.force_login(alice)

    page = client.get("/dashboard/acme-analytics/").content.decode()

    plan_row = pledge_row(page, "plan")
    assert "Next action" not in plan_row
    assert "Nothing to do." in plan_row


@pytest.mark.parametrize("actions_per_pledge", [1, 12])
def test_the_overview_names_next_actions_in_a_fixed_number_of_queries(
    client, alice, acme_workspace, actions_per_pledge, django_assert_num_queries
):
    for code in ("plan", "policies", "practice"):
        commitment = started_commitment(acme_workspace, code)
        for number in range(actions_per_pledge):
            add_action(commitment, f"{code} action {number}", due_on=dt.date(2030, 1, 1 + number))
    client.force_login(alice)

    # as in test_the_overview_makes_a_fixed_number_of_queries: the next actions come with the
    # commitments, in the same query
    with django_assert_num_queries(10):
        page = client.get("/dashboard/acme-analytics/").content.decode()

    assert page.count("Next action:") == 3


def test_the_navigation_offers_the_dashboard_only_to_members(client, alice, acme_workspace):
    client.force_login(alice)
    assert 'href="/dashboard/"' in client.get("/").content.decode()
    client.force_login(make_user("nobody@example.org"))
    assert 'href="/dashboard/"' not in client.get("/").content.decode()


# --- Profile and logo --------------------------------------------------------------------------


def test_an_admin_edits_the_profile(client, alice, acme_workspace):
    client.force_login(alice)

    response = client.post(
        "/dashboard/acme-analytics/profile/",
        {**PROFILE, "public_name": "Acme", "website": "https://www.acme-new.example/"},
    )

    assert response.status_code == 302
    acme_workspace.refresh_from_db()
    assert acme_workspace.public_name == "Acme"
    assert acme_workspace.website_domain == "acme-new.example"


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_a_raster_logo_is_checked_and_stored_as_a_small_png(
    client, alice, acme_workspace, image_format
):
    client.force_login(alice)

    response = upload(client, "logo.bin", image_bytes(image_format))

    assert response.status_code == 302
    acme_workspace.refresh_from_db()
    assert acme_workspace.logo.name.endswith(".png")
    with Image.open(acme_workspace.logo.path) as stored:
        assert stored.format == "PNG"
        assert stored.size == (400, 200)


# SVG uploads (rasterised to PNG) and media serving: tests/signatories/test_logos.py.


def test_a_disguised_file_is_refused_whatever_its_name(client, alice, acme_workspace):
    client.force_login(alice)

    text = upload(client, "logo.png", b"MZ this is not an image at all")
    gif = upload(client, "logo.png", image_bytes("GIF"))

    for response in (text, gif):
        assert response.status_code == 400
        assert "must be a PNG, JPEG, SVG or WebP image" in response.content.decode()
    acme_workspace.refresh_from_db()
    assert not acme_workspace.logo
    assert acme_workspace.description == "Acme Analytics builds software."  # nothing half-saved


def test_an_oversize_logo_is_refused_with_its_size(client, alice, acme_workspace):
    client.force_login(alice)

    response = upload(client, "logo.png", image_bytes("PNG") + b"\0" * (2 * 1024 * 1024))

    assert response.status_code == 400
    assert "the most we accept is 2 MB" in response.content.decode()


def test_an_admin_names_the_data_contact(client, alice, acme_workspace):
    client.force_login(alice)

    bad = client.post("/dashboard/acme-analytics/data-contact/", {"name": "Fay", "email": "x"})
    good = client.post(
        "/dashboard/acme-analytics/data-contact/",
        {"name": "Fay Figures", "email": "Fay@acme.example"},
    )

    assert bad.status_code == 400 and good.status_code == 302
    acme_workspace.refresh_from_db()
    assert (acme_workspace.data_contact_name, acme_workspace.data_contact_email) == (
        "Fay Figures",
        "fay@acme.example",
    )


# --- Withdrawing -------------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_the_checkbox_and_the_name(client, alice, acme_workspace):
    client.force_login(alice)

    response = client.post(
        "/dashboard/acme-analytics/withdraw/",
        {"reason": "Merged", "understood": "on", "confirm_name": "Acme"},
    )

    assert response.status_code == 400
    assert "to confirm" in response.content.decode()
    acme_workspace.refresh_from_db()
    assert acme_workspace.status == "active"


@pytest.mark.parametrize(
    "posted",
    [
        {"reason": "We merged with Globex.", "confirm_name": "Acme Analytics"},
        {"reason": "   ", "understood": "on", "confirm_name": "Acme Analytics"},
        {"understood": "on", "confirm_name": "Acme Analytics"},
    ],
    ids=["without the checkbox", "with a blank reason", "without a reason"],
)
def test_withdrawing_is_refused_without_the_checkbox_or_a_reason(
    client, alice, acme_workspace, posted
):
    client.force_login(alice)

    response = client.post("/dashboard/acme-analytics/withdraw/", posted)

    assert response.status_code == 400
    form = response.context["form"]
    missing = "understood" if "understood" not in posted else "reason"
    assert list(form.errors) == [missing]
    assert form.errors[missing] == ["This field is required."]
    page = response.content.decode()
    assert "<title>Error:" in page
    # What alice typed is still there.
    assert 'value="Acme Analytics"' in page
    if posted.get("reason", "").strip():
        assert "We merged with Globex." in page
    acme_workspace.refresh_from_db()
    assert (acme_workspace.status, acme_workspace.withdrawn_on) == ("active", None)
    assert acme_workspace.withdrawal_reason == ""
    assert mail.outbox == []


def test_withdrawing_keeps_the_organisation_and_tells_staff(
    client, alice, staff_user, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/dashboard/acme-analytics/withdraw/",
            {
                "reason": "We merged with Globex.",
                "understood": "on",
                "confirm_name": "acme analytics",
            },
        )

    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=acme_workspace.pk)
    assert organisation.status == "withdrawn" and organisation.withdrawn_on is not None
    assert organisation.withdrawal_reason == "We merged with Globex."
    assert organisation.withdrawn_by == alice
    assert mail.outbox[0].to == ["staff@charter.example"]
    assert "We merged with Globex." in mail.outbox[0].body
