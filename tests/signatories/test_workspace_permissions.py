"""Every workspace view, for every kind of visitor: the permission helper holds everywhere.

alice is an admin of Acme, bob an editor of Acme, charlie an admin of Globex. Another
organisation's objects are 404 (even at a guessed id), a missing role is 403, an anonymous
visitor is sent to log in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pledges.models import PledgeAction, PledgeCommitment, Practice, ReportingCycle, ReturnQuery
from pledges.services.returns import return_get_or_start, revision_record
from signatories.models import Invitation, JoinRequest, Membership
from tests.conftest import make_cycle, make_user, valid_figures

# (method, path template, admin only). {slug} is the organisation; {member}, {invitation},
# {join_request}, {action}, {practice}, {query} are ids of objects that belong to it; {year} is
# the open data collection and {receipt} the number of the organisation's first revision (a
# number within the organisation's own return, so not an id to guess).
VIEWS = [
    ("get", "/dashboard/{slug}/", False),
    ("get", "/dashboard/{slug}/team/", False),
    ("get", "/dashboard/{slug}/representative/", False),
    ("get", "/dashboard/{slug}/representative/history/", False),
    ("get", "/dashboard/{slug}/pledges/plan/", False),
    ("post", "/dashboard/{slug}/pledges/plan/", False),
    ("post", "/dashboard/{slug}/pledges/policies/review/", False),
    ("get", "/dashboard/{slug}/pledges/practice/history/", False),
    ("post", "/dashboard/{slug}/pledges/plan/actions/new/", False),
    ("get", "/dashboard/{slug}/pledges/plan/actions/{action}/", False),
    ("post", "/dashboard/{slug}/pledges/plan/actions/{action}/", False),
    ("get", "/dashboard/{slug}/practices/", False),
    ("get", "/dashboard/{slug}/practices/new/", False),
    ("post", "/dashboard/{slug}/practices/new/", False),
    ("get", "/dashboard/{slug}/practices/{practice}/", False),
    ("get", "/dashboard/{slug}/practices/{practice}/edit/", False),
    ("post", "/dashboard/{slug}/practices/{practice}/edit/", False),
    ("post", "/dashboard/{slug}/practices/{practice}/submit/", False),
    ("get", "/dashboard/{slug}/library/", False),
    ("get", "/dashboard/{slug}/library/{published}/", False),
    ("get", "/dashboard/{slug}/data/", False),
    ("get", "/dashboard/{slug}/data/{year}/", False),
    ("post", "/dashboard/{slug}/data/{year}/", False),
    ("get", "/dashboard/{slug}/data/{year}/history/", False),
    ("get", "/dashboard/{slug}/data/{year}/receipts/{receipt}/", False),
    ("get", "/dashboard/{slug}/data/{year}/receipts/{receipt}/pdf/", False),
    ("get", "/dashboard/{slug}/data/{year}/grace/", False),
    ("post", "/dashboard/{slug}/data/{year}/grace/", False),
    ("get", "/dashboard/{slug}/data/{year}/queries/{query}/", False),
    ("post", "/dashboard/{slug}/data/{year}/queries/{query}/", False),
    ("get", "/dashboard/{slug}/benchmark/", False),
    ("get", "/dashboard/{slug}/profile/", True),
    ("post", "/dashboard/{slug}/profile/", True),
    ("get", "/dashboard/{slug}/data-contact/", True),
    ("post", "/dashboard/{slug}/data-contact/", True),
    ("get", "/dashboard/{slug}/withdraw/", True),
    ("post", "/dashboard/{slug}/withdraw/", True),
    ("post", "/dashboard/{slug}/representative/", True),
    ("post", "/dashboard/{slug}/representative/remind/", True),
    ("post", "/dashboard/{slug}/team/invite/", True),
    ("post", "/dashboard/{slug}/team/invitations/{invitation}/cancel/", True),
    ("post", "/dashboard/{slug}/team/members/{member}/role/", True),
    ("post", "/dashboard/{slug}/team/members/{member}/remove/", True),
    ("post", "/dashboard/{slug}/team/requests/{join_request}/accept/", True),
    ("post", "/dashboard/{slug}/team/requests/{join_request}/refuse/", True),
    ("get", "/dashboard/{slug}/emails/", True),
]
IDS = [f"{method} {path}" for method, path, _ in VIEWS]
OBJECT_NAMES = ("member", "invitation", "join_request", "action", "practice", "query")
# {published} is left out: the library shows every signatory's published practices, so another
# organisation's published id is meant to work there (drafts at a guessed id are 404, below).
WITH_IDS = [view for view in VIEWS if any(f"{{{name}}}" in view[1] for name in OBJECT_NAMES)]


def ids_of(views):
    return [f"{method} {path}" for method, path, _ in views]


def submitted_return_of(organisation, *, by) -> ReturnQuery:
    """A submitted 2026 return with an open staff query, made through revision_record (the
    one way a revision is made) so the table does not depend on today's date."""
    today = timezone.localdate()
    cycle = ReportingCycle.objects.filter(year=2026).first() or make_cycle(
        2026, opens_on=today - dt.timedelta(days=5), closes_on=today + dt.timedelta(days=20)
    )
    data_return = return_get_or_start(cycle=cycle, organisation=organisation)
    revision_record(
        data_return=data_return, by=by, figures=valid_figures(), warnings=[], is_late=False
    )
    return ReturnQuery.objects.create(data_return=data_return, message="Is 40 right?")


def objects_of(organisation, *, member_user) -> dict:
    commitment = PledgeCommitment.objects.get(organisation=organisation, pledge__code="plan")
    query = submitted_return_of(organisation, by=member_user)
    outsider = make_user(f"asker-{organisation.slug}@example.org")
    return {
        "slug": organisation.slug,
        "year": query.data_return.cycle.year,
        "receipt": 1,
        "query": query.pk,
        "member": Membership.objects.get(organisation=organisation, user=member_user).pk,
        "invitation": Invitation.objects.create(
            organisation=organisation, email=f"new@{organisation.slug}.example"
        ).pk,
        "join_request": JoinRequest.objects.create(
            organisation=organisation, user=outsider, job_title="Engineer"
        ).pk,
        "action": PledgeAction.objects.create(
            commitment=commitment, description="Audit job adverts", due_on=timezone.localdate()
        ).pk,
        "practice": Practice.objects.create(
            organisation=organisation,
            title="Returners",
            summary="A returners programme",
            body="We ran one.",
            topics=["retention"],
        ).pk,
        "published": Practice.objects.create(
            organisation=organisation,
            title="Structured interviews",
            summary="Same questions for everyone",
            body="We publish the criteria.",
            topics=["recruitment"],
            status="published",
            published_at=timezone.now(),
        ).pk,
    }


@pytest.fixture
def acme_ids(acme_workspace, bob):
    return objects_of(acme_workspace, member_user=bob)


@pytest.fixture
def globex_ids(globex_workspace, charlie):
    return objects_of(globex_workspace, member_user=charlie)


def call(client, method: str, path: str):
    return getattr(client, method)(path)


@pytest.mark.parametrize(("method", "path", "admin_only"), VIEWS, ids=IDS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, acme_ids, method, path, admin_only):
    response = call(client, method, path.format(**acme_ids))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("method", "path", "admin_only"), VIEWS, ids=IDS)
def test_another_organisations_member_gets_404(
    client, charlie, acme_ids, globex_workspace, method, path, admin_only
):
    client.force_login(charlie)

    assert call(client, method, path.format(**acme_ids)).status_code == 404


@pytest.mark.parametrize(("method", "path", "admin_only"), WITH_IDS, ids=ids_of(WITH_IDS))
def test_ids_guessed_from_another_organisation_are_404_in_ones_own_workspace(
    client, alice, acme_ids, globex_ids, method, path, admin_only
):
    client.force_login(alice)
    # alice's own organisation, Globex's object ids.
    guessed = {**globex_ids, "slug": acme_ids["slug"]}

    assert call(client, method, path.format(**guessed)).status_code == 404


ADMIN_ONLY = [view for view in VIEWS if view[2]]
FOR_EVERY_MEMBER = [view for view in VIEWS if not view[2]]


@pytest.mark.parametrize(("method", "path", "admin_only"), ADMIN_ONLY, ids=ids_of(ADMIN_ONLY))
def test_an_editor_gets_403_from_admin_only_views(client, bob, acme_ids, method, path, admin_only):
    client.force_login(bob)

    assert call(client, method, path.format(**acme_ids)).status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "admin_only"), FOR_EVERY_MEMBER, ids=ids_of(FOR_EVERY_MEMBER)
)
def test_an_editor_reaches_the_views_open_to_every_member(
    client, bob, acme_ids, method, path, admin_only
):
    client.force_login(bob)

    response = call(client, method, path.format(**acme_ids))

    # Empty POSTs are bad input (400) or a redirect after a harmless action; never 403/404.
    assert response.status_code in {200, 302, 400}, response.status_code


@pytest.mark.parametrize(("method", "path", "admin_only"), VIEWS, ids=IDS)
def test_an_admin_reaches_every_view(client, alice, acme_ids, method, path, admin_only):
    client.force_login(alice)

    response = call(client, method, path.format(**acme_ids))

    assert response.status_code in {200, 302, 400}, response.status_code


def test_a_withdrawn_organisations_workspace_is_gone(client, alice, acme_workspace):
    acme_workspace.status = "withdrawn"
    acme_workspace.withdrawn_on = timezone.localdate()
    acme_workspace.save()
    client.force_login(alice)

    assert client.get("/dashboard/acme-analytics/").status_code == 404


def test_the_library_shows_published_practices_of_other_signatories_but_not_drafts(
    client, charlie, globex_workspace, acme_ids
):
    practice = Practice.objects.get(pk=acme_ids["practice"])
    client.force_login(charlie)

    # A draft of Acme's is not in the library, even at its id.
    assert client.get(f"/dashboard/globex/library/{practice.pk}/").status_code == 404
    practice.status = "published"
    practice.published_at = timezone.now()
    practice.save()
    assert client.get(f"/dashboard/globex/library/{practice.pk}/").status_code == 200
    # ... but it is never editable from Globex's workspace.
    assert client.get(f"/dashboard/globex/practices/{practice.pk}/edit/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_dashboard_index(client, db):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/dashboard/"


# Charter staff's pages: (method, path template). {practice} is a practice waiting for review.
STAFF_VIEWS = [
    ("get", "/staff/practices/"),
    ("get", "/staff/practices/{practice}/"),
    ("post", "/staff/practices/{practice}/approve/"),
    ("post", "/staff/practices/{practice}/return/"),
    ("post", "/staff/practices/{practice}/public/"),
    ("get", "/staff/organisations/"),
    ("get", "/staff/data/reminders/"),
    ("get", "/staff/data/reminders/previews/"),
]
STAFF_IDS = [f"{method} {path}" for method, path in STAFF_VIEWS]


@pytest.fixture
def submitted_practice(acme_ids) -> Practice:
    practice = Practice.objects.get(pk=acme_ids["practice"])
    practice.status = "submitted"
    practice.submitted_at = timezone.now()
    practice.save()
    return practice


def post_data(path: str) -> dict:
    # Valid input, so a refusal can only come from the permission check.
    if path.endswith("/return/"):
        return {"comment": "Add your results."}
    if path.endswith("/public/"):
        return {"public": "1"}
    return {}


def assert_practice_untouched(practice: Practice) -> None:
    practice.refresh_from_db()
    assert (practice.status, practice.review_comment, practice.reviewed_by) == (
        "submitted",
        "",
        None,
    )


@pytest.mark.parametrize(("method", "path"), STAFF_VIEWS, ids=STAFF_IDS)
def test_an_anonymous_visitor_is_sent_to_log_in_from_staff_pages(
    client, submitted_practice, method, path
):
    url = path.format(practice=submitted_practice.pk)

    response = getattr(client, method)(url, post_data(path))

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"
    assert_practice_untouched(submitted_practice)


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
@pytest.mark.parametrize(("method", "path"), STAFF_VIEWS, ids=STAFF_IDS)
def test_signatories_get_403_from_staff_pages(
    client, request, submitted_practice, globex_workspace, who, method, path
):
    client.force_login(request.getfixturevalue(who))

    response = getattr(client, method)(path.format(practice=submitted_practice.pk), post_data(path))

    assert response.status_code == 403
    assert_practice_untouched(submitted_practice)


@pytest.mark.parametrize(("method", "path"), STAFF_VIEWS, ids=STAFF_IDS)
def test_staff_reach_every_staff_page(client, staff_user, submitted_practice, method, path):
    client.force_login(staff_user)

    response = getattr(client, method)(path.format(practice=submitted_practice.pk), post_data(path))

    assert response.status_code in {200, 302}, response.status_code
