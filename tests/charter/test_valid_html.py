"""Every page Charter serves is valid HTML, with every id unique, checked by the Nu Html Checker.

The pages are fetched through the Django test client from one set of fixture data (a signatory
with its team, pledges, actions, practices; an application under review; pending invitations
and join requests), written to a temporary directory, and checked by ONE run of vnu.jar: the JVM
start is the slow part. A new URL that is neither in PAGES nor in NOT_PAGES fails
test_every_url_is_checked_or_excused, so a page cannot escape the check by being forgotten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.views.defaults import server_error

from charter.models import Pledge
from pledges.models import PledgeCommitment
from pledges.services.commitments import (
    PracticeData,
    action_add,
    practice_approve,
    practice_create,
    practice_set_public,
    practice_submit,
)
from pledges.services.reminders.preferences import unsubscribe_token
from signatories.services.applications import application_get_or_start, application_submit
from signatories.services.join_requests import join_request_create
from signatories.services.representatives import confirmation_token
from signatories.services.team import invitation_create, invitation_token
from tests.conftest import IN_CI, PASSWORD, make_user
from tests.signatories.conftest import application_data

pytestmark = pytest.mark.django_db

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"

World = SimpleNamespace

IMPORT_HEADER = (
    b"signatory_number,name,website,companies_house_number,organisation_type,sector,"
    b"size_band,region,signed_on\n"
)
IMPORT_GOOD_ROW = b"900,Imported Org,imported.example,,employer,software,1-9,wales,2020-01-02\n"
IMPORT_BAD_ROW = b"x,Imported Org,imported.example,,employer,nope,1-9,wales,2020-13-02\n"
RETURNS_HEADER = (
    b"signatory_number,year,snapshot_date,total_employees,tech_total,tech_women,tech_men,"
    b"tech_non_binary,tech_gender_undisclosed,tech_ethnic_minority,tech_white,"
    b"tech_ethnicity_undisclosed,senior_total,senior_women,senior_ethnic_minority\n"
)
RETURNS_GOOD_ROW = b"1,2025,2025-04-05,120,40,10,28,1,1,9,29,2,6,2,1\n"
RETURNS_BAD_ROW = b"99,2025,2025-13-05,120,40,10,20,1,1,9,29,2,6,2,1\n"


@dataclass(frozen=True)
class Page:
    """One page to check: its URL name, who asks for it, and how to build its address."""

    name: str
    who: str  # a key of the clients: anonymous, alice (admin), bob (editor), newcomer, ...
    path: Callable[[World], str]
    label: str = ""  # tells apart several checks of one URL name (filters, states)
    status: int = 200
    htmx: bool = False
    # Some allauth pages keep their state in the session and redirect once to the real page.
    follow: bool = False
    # A form posted with mistakes: the page re-rendered with its error messages.
    post: dict | None = None

    @property
    def title(self) -> str:
        posted = " (posted)" if self.post is not None else ""
        return f"{self.name}{f' ({self.label})' if self.label else ''}{posted} as {self.who}"


def data_return_form(**overrides) -> dict:
    """The return form as posted for tests.conftest.valid_figures in this year's window."""
    from tests.pledges.test_workspace_data_return import form_data

    year = timezone.localdate().year
    return form_data(snapshot_date=f"{year}-04-05", **overrides)


def shown_with_errors(name: str, who: str, path: Callable[[World], str], post: dict) -> Page:
    """A form posted with mistakes, so the page is checked with its error messages showing."""
    return Page(name, who, path, label="errors", post=post, status=400)


def ws(w: World, rest: str = "") -> str:
    return f"/dashboard/{w.acme.slug}/{rest}"


PAGES: list[Page] = [
    # --- Public ---------------------------------------------------------------------------------
    Page("home", "anonymous", lambda w: "/"),
    Page("home", "alice", lambda w: "/", label="logged in"),
    Page("charter", "anonymous", lambda w: "/charter/"),
    Page("signatories:directory", "anonymous", lambda w: "/signatories/"),
    Page(
        "signatories:directory",
        "anonymous",
        lambda w: "/signatories/?q=acme&sector=software&region=london&sort=name&page=1",
        label="filtered",
    ),
    Page(
        "signatories:directory",
        "anonymous",
        lambda w: "/signatories/?q=nobody-is-called-this",
        label="no results",
    ),
    Page(
        "signatories:directory",
        "anonymous",
        lambda w: "/signatories/?page=x",
        label="bad parameter",
        status=400,
    ),
    Page(
        "signatories:directory",
        "anonymous",
        lambda w: "/signatories/?sector=software",
        label="htmx fragment",
        htmx=True,
    ),
    Page("signatories:profile", "anonymous", lambda w: f"/signatories/{w.acme.slug}/"),
    Page(
        "signatories:profile", "charlie", lambda w: f"/signatories/{w.acme.slug}/", label="member"
    ),
    Page("signatories:api", "anonymous", lambda w: "/api/"),
    Page("signatories:apply", "anonymous", lambda w: "/sign/"),
    Page("signatories:apply", "newcomer", lambda w: "/sign/", label="the form"),
    Page(
        "signatories:application_status",
        "applicant",
        lambda w: f"/sign/applications/{w.application.pk}/",
    ),
    Page("signatories:join_request_new", "newcomer", lambda w: f"/sign/join/{w.acme.slug}/"),
    Page("practices:list", "anonymous", lambda w: "/practices/"),
    Page("practices:detail", "anonymous", lambda w: f"/practices/{w.public_practice.pk}/"),
    # --- Unsubscribe links of the optional emails -------------------------------------------------
    Page("email_unsubscribe", "anonymous", lambda w: f"/emails/unsubscribe/{w.unsubscribe}/"),
    Page(
        "email_unsubscribe",
        "anonymous",
        lambda w: f"/emails/unsubscribe/{w.unsubscribe}/",
        label="done",
        post={},
    ),
    Page(
        "email_unsubscribe",
        "anonymous",
        lambda w: "/emails/unsubscribe/not-a-real-token/",
        label="bad link",
        status=404,
    ),
    # the 2033 report, published then corrected (version 2); 2032's published once before it
    Page("reports:list", "anonymous", lambda w: "/reports/"),
    Page("reports:report", "anonymous", lambda w: "/reports/2033/"),
    Page("reports:report", "alice", lambda w: "/reports/2033/", label="logged in"),
    Page("reports:report", "anonymous", lambda w: "/reports/2032/", label="first year"),
    Page("reports:version", "anonymous", lambda w: "/reports/2033/versions/1/"),
    # --- Accounts (allauth) ---------------------------------------------------------------------
    Page("account_login", "anonymous", lambda w: "/accounts/login/"),
    Page("account_logout", "alice", lambda w: "/accounts/logout/"),
    Page("account_inactive", "anonymous", lambda w: "/accounts/inactive/"),
    Page("account_signup", "anonymous", lambda w: "/accounts/signup/"),
    Page("account_reauthenticate", "alice", lambda w: "/accounts/reauthenticate/"),
    Page("account_email", "alice", lambda w: "/accounts/email/"),
    Page("account_email_verification_sent", "anonymous", lambda w: "/accounts/confirm-email/"),
    Page("account_confirm_email", "anonymous", lambda w: f"/accounts/confirm-email/{w.email_key}/"),
    Page("account_change_password", "alice_fresh", lambda w: "/accounts/password/change/"),
    Page("account_set_password", "passwordless", lambda w: "/accounts/password/set/"),
    Page("account_reset_password", "anonymous", lambda w: "/accounts/password/reset/"),
    Page("account_reset_password_done", "anonymous", lambda w: "/accounts/password/reset/done/"),
    Page(
        "account_reset_password_from_key",
        "anonymous",
        lambda w: f"/accounts/password/reset/key/{w.reset_key}/",
        follow=True,
    ),
    Page(
        "account_reset_password_from_key_done",
        "anonymous",
        lambda w: "/accounts/password/reset/key/done/",
    ),
    Page("mfa_index", "alice", lambda w: "/accounts/2fa/"),
    Page("mfa_index", "staff", lambda w: "/accounts/2fa/", label="with an authenticator"),
    Page("mfa_authenticate", "second_factor", lambda w: "/accounts/2fa/authenticate/"),
    Page("mfa_reauthenticate", "staff", lambda w: "/accounts/2fa/reauthenticate/"),
    Page("mfa_activate_totp", "alice_fresh", lambda w: "/accounts/2fa/totp/activate/"),
    Page("mfa_deactivate_totp", "staff_fresh", lambda w: "/accounts/2fa/totp/deactivate/"),
    Page("mfa_view_recovery_codes", "staff_fresh", lambda w: "/accounts/2fa/recovery-codes/"),
    Page(
        "mfa_generate_recovery_codes",
        "staff_fresh",
        lambda w: "/accounts/2fa/recovery-codes/generate/",
    ),
    # --- A signatory's workspace ----------------------------------------------------------------
    Page("workspace:index", "consultant", lambda w: "/dashboard/", label="two organisations"),
    Page("workspace:index", "newcomer", lambda w: "/dashboard/", label="no organisation"),
    Page("workspace:overview", "alice", lambda w: ws(w)),
    Page("workspace:overview", "bob", lambda w: ws(w), label="editor"),
    Page("workspace:profile", "alice", lambda w: ws(w, "profile/")),
    Page("workspace:data_contact", "alice", lambda w: ws(w, "data-contact/")),
    Page("workspace:withdraw", "alice", lambda w: ws(w, "withdraw/")),
    Page("workspace:team", "alice", lambda w: ws(w, "team/")),
    Page("workspace:team", "bob", lambda w: ws(w, "team/"), label="editor"),
    Page("workspace:invitation", "invitee", lambda w: f"/dashboard/invitations/{w.invitation}/"),
    Page("workspace:representative", "alice", lambda w: ws(w, "representative/")),
    Page("workspace:representative_history", "alice", lambda w: ws(w, "representative/history/")),
    Page(
        "workspace:representative_answer",
        "anonymous",
        lambda w: f"/dashboard/representative/answer/{w.representative_token}/",
    ),
    Page("pledges:commitment", "alice", lambda w: ws(w, "pledges/plan/")),
    Page("pledges:commitment", "bob", lambda w: ws(w, "pledges/policies/"), label="editor"),
    Page("pledges:history", "alice", lambda w: ws(w, "pledges/plan/history/")),
    Page("pledges:action_edit", "alice", lambda w: ws(w, f"pledges/plan/actions/{w.action.pk}/")),
    Page("pledges:practices", "alice", lambda w: ws(w, "practices/")),
    Page("pledges:practice_new", "alice", lambda w: ws(w, "practices/new/")),
    Page("pledges:practice", "alice", lambda w: ws(w, f"practices/{w.draft.pk}/")),
    Page("pledges:practice_edit", "alice", lambda w: ws(w, f"practices/{w.draft.pk}/edit/")),
    Page("pledges:library", "alice", lambda w: ws(w, "library/")),
    Page(
        "pledges:library_practice",
        "alice",
        lambda w: ws(w, f"library/{w.public_practice.pk}/"),
    ),
    # --- A signatory's data return (pledge 5) ---------------------------------------------------
    Page("pledges:data", "alice", lambda w: ws(w, "data/")),
    Page("pledges:data_return", "alice", lambda w: ws(w, f"data/{w.data_year}/")),
    Page("pledges:data_return", "bob", lambda w: ws(w, f"data/{w.data_year - 1}/"), label="closed"),
    Page("pledges:data_history", "alice", lambda w: ws(w, f"data/{w.data_year}/history/")),
    Page("pledges:data_receipt", "alice", lambda w: ws(w, f"data/{w.data_year}/receipts/2/")),
    Page("pledges:data_grace", "alice", lambda w: ws(w, f"data/{w.data_year}/grace/")),
    Page(
        "pledges:data_query_answer",
        "alice",
        lambda w: ws(w, f"data/{w.data_year}/queries/{w.data_query.pk}/"),
    ),
    # --- Charter staff --------------------------------------------------------------------------
    Page("staff:workspace", "staff", lambda w: "/staff/", status=302),
    Page("staff:queue", "staff", lambda w: "/staff/applications/"),
    Page("staff:queue", "staff", lambda w: "/staff/applications/?q=initech", label="search"),
    Page("staff:review", "staff", lambda w: f"/staff/applications/{w.application.pk}/"),
    Page("staff:organisations", "staff", lambda w: "/staff/organisations/"),
    Page("staff:import_signatories", "staff", lambda w: "/staff/organisations/import/"),
    Page(
        "staff:import_signatories",
        "staff",
        lambda w: "/staff/organisations/import/",
        label="preview",
        post={"file": SimpleUploadedFile("new.csv", IMPORT_HEADER + IMPORT_GOOD_ROW)},
    ),
    Page(
        "staff:import_signatories",
        "staff",
        lambda w: "/staff/organisations/import/",
        label="row errors",
        status=400,
        post={"file": SimpleUploadedFile("bad.csv", IMPORT_HEADER + IMPORT_BAD_ROW)},
    ),
    Page("staff:suspend", "staff", lambda w: f"/staff/organisations/{w.acme.pk}/suspend/"),
    Page("staff:reinstate", "staff", lambda w: f"/staff/organisations/{w.suspended.pk}/reinstate/"),
    Page(
        "staff_data:import_submissions",
        "staff",
        lambda w: "/staff/data/import/",
        label="without the raw data permission",
    ),
    Page("staff_data:import_submissions", "staff_raw", lambda w: "/staff/data/import/"),
    Page(
        "staff_data:import_submissions",
        "staff_raw",
        lambda w: "/staff/data/import/",
        label="preview",
        post={"file": SimpleUploadedFile("returns.csv", RETURNS_HEADER + RETURNS_GOOD_ROW)},
    ),
    Page(
        "staff_data:import_submissions",
        "staff_raw",
        lambda w: "/staff/data/import/",
        label="row errors",
        status=400,
        post={"file": SimpleUploadedFile("bad.csv", RETURNS_HEADER + RETURNS_BAD_ROW)},
    ),
    Page("staff_practices:queue", "staff", lambda w: "/staff/practices/"),
    Page("staff_practices:review", "staff", lambda w: f"/staff/practices/{w.submitted.pk}/"),
    # --- The data pledge's review (outliers, compliance) ------------------------------------
    Page("staff_data:outliers", "staff", lambda w: "/staff/data/outliers/"),
    Page("staff_data:outliers", "staff_raw", lambda w: "/staff/data/outliers/", label="figures"),
    Page(
        "staff_data:outliers",
        "staff",
        lambda w: "/staff/data/outliers/?state=nonsense",
        label="bad parameter",
        status=400,
    ),
    Page("staff_data:return", "staff", lambda w: f"/staff/data/returns/{w.flagged.pk}/"),
    Page(
        "staff_data:return",
        "staff_raw",
        lambda w: f"/staff/data/returns/{w.flagged.pk}/",
        label="figures",
    ),
    Page("staff_data:compliance", "staff", lambda w: "/staff/data/compliance/"),
    Page(
        "staff_data:compliance",
        "staff",
        lambda w: "/staff/data/compliance/?standing=delisting_proposed",
        label="filtered",
    ),
    # the data collection: cycles (2030 open with an exemption and a grace request; 2031 draft)
    # --- Benchmarking reports (staff): 2033 published twice, 2034 generated, not published -------
    Page("reports_staff:reports", "staff", lambda w: "/staff/reports/"),
    Page("reports_staff:report", "staff", lambda w: "/staff/reports/2033/", label="published"),
    Page("reports_staff:report", "staff", lambda w: "/staff/reports/2034/", label="draft"),
    Page("reports_staff:preview", "staff", lambda w: "/staff/reports/2034/preview/"),
    shown_with_errors(
        "reports_staff:publish", "staff", lambda w: "/staff/reports/2034/publish/", {}
    ),
    shown_with_errors(
        "reports_staff:texts",
        "staff",
        lambda w: "/staff/reports/2034/texts/",
        {"foreword": "x" * 10001, "correction_note": ""},
    ),
    Page("staff_data:cycles", "staff", lambda w: "/staff/data/"),
    Page("staff_data:cycle_new", "staff", lambda w: "/staff/data/new/"),
    Page("staff_data:cycle", "staff", lambda w: "/staff/data/2030/"),
    Page("staff_data:cycle", "staff", lambda w: "/staff/data/2031/", label="draft"),
    Page("staff_data:cycle_edit", "staff", lambda w: "/staff/data/2031/edit/"),
    Page("staff_data:access_log", "staff", lambda w: "/staff/data/access-log/"),
    Page(
        "staff_data:access_log",
        "staff",
        lambda w: "/staff/data/access-log/?cycle=2030",
        label="filtered",
    ),
    # the reminders: the delivery log, an organisation's reminders, previews, the forecast
    Page("staff_data:reminders", "staff", lambda w: "/staff/data/reminders/"),
    Page(
        "staff_data:reminders",
        "staff",
        lambda w: "/staff/data/reminders/?kind=data_due&state=failed&organisation=acme",
        label="filtered",
    ),
    Page(
        "staff_data:reminders",
        "staff",
        lambda w: "/staff/data/reminders/?state=lost&date_from=x",
        label="bad filter",
        status=400,
    ),
    Page(
        "staff_data:organisation_reminders",
        "staff",
        lambda w: f"/staff/data/organisations/{w.acme.slug}/reminders/",
    ),
    Page(
        "staff_data:organisation_reminders",
        "staff",
        lambda w: f"/staff/data/organisations/{w.globex.slug}/reminders/",
        label="paused",
    ),
    Page("staff_data:reminder_previews", "staff", lambda w: "/staff/data/reminders/previews/"),
    Page(
        "staff_data:reminder_preview_html",
        "staff",
        lambda w: "/staff/data/reminders/previews/0/email.html",
    ),
    Page("staff_data:cycle_forecast", "staff", lambda w: "/staff/data/2030/reminders/"),
    Page(
        "staff_data:cycle_forecast",
        "staff",
        lambda w: "/staff/data/2031/reminders/",
        label="draft",
    ),
    Page("pledges:emails", "alice", lambda w: ws(w, "emails/")),
    Page("email_preferences", "alice", lambda w: "/accounts/email-preferences/"),
    Page(
        "email_preferences",
        "staff",
        lambda w: "/accounts/email-preferences/",
        label="with the staff digest",
    ),
    # --- Forms refused, shown again with their errors -----------------------------------------
    Page(
        "account_login",
        "anonymous",
        lambda w: "/accounts/login/",
        label="wrong password",
        post={"login": "alice@acme.example", "password": "wrong"},
    ),
    Page(
        "account_signup",
        "anonymous",
        lambda w: "/accounts/signup/",
        label="errors",
        post={"email": "not-an-email", "password1": "a", "password2": "b"},
    ),
    shown_with_errors(
        "signatories:application_save",
        "newcomer",
        lambda w: "/sign/application/save/",
        {"data_contact_name": "Dora Data"},
    ),
    shown_with_errors(
        "signatories:application_submit", "newcomer", lambda w: "/sign/application/submit/", {}
    ),
    shown_with_errors(
        "staff:approve",
        "staff",
        lambda w: f"/staff/applications/{w.application.pk}/approve/",
        {"approve-note": "x" * 4001},
    ),
    shown_with_errors(
        "staff:request_changes",
        "staff",
        lambda w: f"/staff/applications/{w.application.pk}/request-changes/",
        {"changes-message": ""},
    ),
    shown_with_errors(
        "staff:reject",
        "staff",
        lambda w: f"/staff/applications/{w.application.pk}/reject/",
        {"reject-reason": "", "reject-note": "Typed"},
    ),
    shown_with_errors(
        "staff:comment",
        "staff",
        lambda w: f"/staff/applications/{w.application.pk}/comment/",
        {"comment-message": ""},
    ),
    shown_with_errors(
        "staff_data:return_accept",
        "staff",
        lambda w: f"/staff/data/returns/{w.flagged.pk}/accept/",
        {"accept-note": "x" * 2001},
    ),
    shown_with_errors(
        "staff_data:return_query",
        "staff",
        lambda w: f"/staff/data/returns/{w.flagged.pk}/query/",
        {"query-message": ""},
    ),
    shown_with_errors(
        "staff_data:return_exclude",
        "staff",
        lambda w: f"/staff/data/returns/{w.flagged.pk}/exclude/",
        {"exclude-reason": ""},
    ),
    shown_with_errors(
        "staff_data:return_include",
        "staff",
        lambda w: f"/staff/data/returns/{w.flagged.pk}/include/",
        {"include-reason": ""},
    ),
    shown_with_errors(
        "staff_data:compliance_suspend",
        "staff",
        lambda w: f"/staff/data/compliance/{w.globex.pk}/suspend/",
        {"suspend-reason": ""},
    ),
    shown_with_errors(
        "staff_data:compliance_another_chance",
        "staff",
        lambda w: f"/staff/data/compliance/{w.globex.pk}/another-chance/",
        {},
    ),
    shown_with_errors(
        "staff:suspend", "staff", lambda w: f"/staff/organisations/{w.acme.pk}/suspend/", {}
    ),
    shown_with_errors(
        "staff_practices:return",
        "staff",
        lambda w: f"/staff/practices/{w.submitted.pk}/return/",
        {},
    ),
    shown_with_errors(
        "workspace:invite", "alice", lambda w: ws(w, "team/invite/"), {"email": "not-an-email"}
    ),
    shown_with_errors(
        "workspace:profile", "alice", lambda w: ws(w, "profile/"), {"public_name": ""}
    ),
    shown_with_errors(
        "workspace:data_contact",
        "alice",
        lambda w: ws(w, "data-contact/"),
        {"data_contact_email": "not-an-email"},
    ),
    shown_with_errors(
        "staff:import_signatories", "staff", lambda w: "/staff/organisations/import/", {}
    ),
    shown_with_errors(
        "staff_data:import_submissions", "staff_raw", lambda w: "/staff/data/import/", {}
    ),
    shown_with_errors("workspace:withdraw", "alice", lambda w: ws(w, "withdraw/"), {}),
    shown_with_errors(
        "staff_data:cycle_new",
        "staff",
        lambda w: "/staff/data/new/",
        {"year": "2028", "opens_on": "2028-10-01", "closes_on": "2028-09-01"},
    ),
    shown_with_errors(
        "staff_data:cycle_edit", "staff", lambda w: "/staff/data/2031/edit/", {"opens_on": "x"}
    ),
    shown_with_errors("staff_data:cycle_open", "staff", lambda w: "/staff/data/2030/open/", {}),
    shown_with_errors(
        "staff_data:cycle_extend",
        "staff",
        lambda w: "/staff/data/2030/extend/",
        {"extend-closes_on": "2030-10-01"},
    ),
    shown_with_errors("staff_data:cycle_close", "staff", lambda w: "/staff/data/2031/close/", {}),
    shown_with_errors(
        "staff_data:cycle_exempt",
        "staff",
        lambda w: "/staff/data/2030/exemptions/",
        {"exempt-organisation": "999"},
    ),
    shown_with_errors(
        "staff_data:cycle_exemption_remove",
        "staff",
        lambda w: f"/staff/data/2030/exemptions/{w.cycle_exemption.pk}/remove/",
        {},
    ),
    shown_with_errors(
        "staff_data:return_reopen", "staff", lambda w: "/staff/data/2030/reopen/", {}
    ),
    shown_with_errors(
        "staff_data:grace_grant",
        "staff",
        lambda w: f"/staff/data/2030/grace/{w.decided_grace.pk}/grant/",
        {},
    ),
    shown_with_errors(
        "staff_data:grace_refuse",
        "staff",
        lambda w: f"/staff/data/2030/grace/{w.grace.pk}/refuse/",
        {},
    ),
    shown_with_errors(
        "workspace:representative",
        "alice",
        lambda w: ws(w, "representative/"),
        {"email": "not-an-email"},
    ),
    shown_with_errors(
        "pledges:commitment", "alice", lambda w: ws(w, "pledges/plan/"), {"version": ""}
    ),
    shown_with_errors(
        "pledges:action_new",
        "alice",
        lambda w: ws(w, "pledges/plan/actions/new/"),
        {"description": "", "due_on": "2031-02-28"},
    ),
    shown_with_errors(
        "pledges:action_edit",
        "alice",
        lambda w: ws(w, f"pledges/plan/actions/{w.action.pk}/"),
        {"description": ""},
    ),
    shown_with_errors(
        "pledges:practice_new", "alice", lambda w: ws(w, "practices/new/"), {"title": ""}
    ),
    shown_with_errors(
        "pledges:data_return",
        "alice",
        lambda w: ws(w, f"data/{w.data_year}/"),
        {"version": "3", "tech_women": "ten", "senior_total": "-1", "save": "1"},
    ),
    Page(
        "pledges:data_return",
        "alice",
        lambda w: ws(w, f"data/{w.data_year}/"),
        label="warnings to confirm",
        status=400,
        # 5,000 employees is outside Acme's size band (50-249): a warning to confirm.
        post=data_return_form(version=3, total_employees="5000", submit="1"),
    ),
    shown_with_errors(
        "pledges:data_grace",
        "alice",
        lambda w: ws(w, f"data/{w.data_year}/grace/"),
        {"days": "40", "reason": ""},
    ),
    shown_with_errors(
        "pledges:data_query_answer",
        "alice",
        lambda w: ws(w, f"data/{w.data_year}/queries/{w.data_query.pk}/"),
        {"answer": ""},
    ),
    shown_with_errors(
        "staff_data:organisation_reminders_pause",
        "staff",
        lambda w: f"/staff/data/organisations/{w.acme.slug}/reminders/pause/",
        {"reason": ""},
    ),
    shown_with_errors(
        "staff_data:cycle_reminder_schedule",
        "staff",
        lambda w: "/staff/data/2031/reminders/schedule/",
        {"schedule-reminder_days_before": "28, x", "schedule-reminder_days_after": "1, 1"},
    ),
    Page("reports_workspace:benchmark", "alice", lambda w: ws(w, "benchmark/")),
    Page(
        "reports_workspace:benchmark",
        "charlie",
        lambda w: "/dashboard/globex/benchmark/",
        label="no return of its own",
    ),
    # --- Error pages ----------------------------------------------------------------------------
    Page("staff:queue", "alice", lambda w: "/staff/applications/", label="403", status=403),
    Page("", "anonymous", lambda w: "/no-such-page/", label="404", status=404),
]

# URL names that answer no HTML page of their own, and why. A POST-only URL whose refused
# form is shown again belongs in PAGES with `post`; these only redirect.
NOT_PAGES: dict[str, str] = {
    "charter_pdf": "a PDF",
    "reports:report_pdf": "a PDF (its text is checked in tests/reports/test_report_pdf.py)",
    "reports:version_pdf": "a PDF",
    "reports_staff:preview_pdf": "a PDF (the draft-marked preview, checked in tests/reports)",
    "reports_staff:generate": "POST only",
    "healthz": "plain text for the load balancer",
    "robots_txt": "plain text",
    "signatories:export_csv": "CSV",
    "staff_data:export_submissions": "CSV (raw figures, permission-gated)",
    "signatories:api_signatories": "JSON",
    "signatories:api_schema": "JSON",
    "media_file": "uploaded images",
    "mfa_download_recovery_codes": "a text file",
    "account_confirm_login_code": "logging in by emailed code is off: it redirects to log in",
    "signatories:application_withdraw": "POST only",
    "staff_practices:approve": "POST only",
    "staff_practices:public": "POST only",
    "workspace:representative_confirm": "POST only",
    "workspace:representative_decline": "POST only",
    "workspace:representative_remind": "POST only",
    "workspace:invitation_cancel": "POST only",
    "workspace:member_role": "POST only",
    "workspace:member_remove": "POST only",
    "workspace:join_request_accept": "POST only",
    "workspace:join_request_refuse": "POST only",
    "pledges:review": "POST only",
    "pledges:practice_submit": "POST only",
    "pledges:data_receipt_pdf": "a PDF (its text is checked in tests/pledges)",
    "staff_data:reminder_retry": "POST only",
    "staff_data:organisation_reminders_resume": "POST only",
    "reports_workspace:benchmark_pdf": "a PDF (its text is checked in tests/reports)",
    "reports_api:list": "JSON",
    "reports_api:year": "JSON",
    "reports_data:benchmarks_csv": "CSV",
}

# Django's admin is Django's own markup, not Charter's templates.
NOT_CHECKED_NAMESPACES = {"admin"}


def url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if inner.split(":")[0] not in NOT_CHECKED_NAMESPACES:
                names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_checked_or_excused():
    checked = {page.name for page in PAGES}
    unknown = (checked | set(NOT_PAGES)) - url_names() - {""}
    assert not unknown, f"PAGES or NOT_PAGES name URLs that do not exist: {sorted(unknown)}"
    forgotten = url_names() - checked - set(NOT_PAGES)
    assert not forgotten, (
        "add this page to PAGES in tests/charter/test_valid_html.py (or to NOT_PAGES, saying why "
        f"it is no HTML page): {', '.join(sorted(forgotten))}"
    )


# --- The fixture data ----------------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reauthenticated(user) -> Client:
    # allauth asks for the password again before sensitive pages (adding an authenticator,
    # changing the password) unless the person has just given it.
    client = logged_in(user)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def world(
    acme_workspace, alice, bob, charlie, globex_workspace, staff_user, settings, tmp_path
) -> World:
    from signatories.choices import MemberRole
    from signatories.models import Membership, Representative

    acme = acme_workspace
    # The staff fixture already has an authenticator app (staff cannot open staff pages
    # without one); recovery codes too, so the MFA pages show them.
    RecoveryCodes.activate(staff_user)

    applicant = make_user("peter@initech.example", full_name="Peter Gibbons")
    application = application_submit(
        application=application_get_or_start(applicant=applicant), data=application_data()
    )
    newcomer = make_user("nina@newcomer.example", full_name="Nina New")
    consultant = make_user("carla@consult.example", full_name="Carla Consultant")
    Membership.objects.create(organisation=acme, user=consultant, role=MemberRole.EDITOR)
    Membership.objects.create(organisation=globex_workspace, user=consultant, role=MemberRole.ADMIN)
    join_request_create(user=charlie, organisation=acme, job_title="Analyst", message="Hello")
    invitation = invitation_create(organisation=acme, by=alice, email="ivan@acme.example")
    invitee = make_user("ivan@acme.example", full_name="Ivan Invitee")
    invitation_create(organisation=acme, by=alice, email="olga@acme.example", role="admin")

    plan = PledgeCommitment.objects.get(organisation=acme, pledge=Pledge.objects.get(code="plan"))
    action = action_add(commitment=plan, by=alice, description="Publish the plan", owner="Dana")
    action_add(commitment=plan, by=bob, description="Review the shortlists")

    def practice(organisation, by, title: str):
        return practice_create(
            organisation=organisation,
            by=by,
            data=PracticeData(
                title=title,
                summary=f"{title}, in short.",
                body=f"# {title}\n\nWhat we did, **how** and [why](https://example.com).",
                topics=["recruitment", "culture"],
                anonymous=False,
            ),
        )

    draft = practice(acme, alice, "Structured interviews")
    submitted = practice_submit(practice=practice(acme, alice, "Returners"), by=alice)
    published = practice_submit(
        practice=practice(globex_workspace, charlie, "Mentoring"), by=charlie
    )
    published = practice_approve(practice=published, by=staff_user)
    public_practice = practice_set_public(practice=published, by=staff_user, public=True)

    data_year, data_query = data_returns(acme, alice)

    passwordless = make_user("pat@passwordless.example")
    passwordless.set_unusable_password()
    passwordless.save()
    unverified = make_user("una@unverified.example", verified=False)
    email_address = EmailAddress.objects.get(user=unverified)
    reset_key = f"{user_pk_to_url_str(alice)}-{default_token_generator.make_token(alice)}"

    second_factor = Client()
    response = second_factor.post(
        "/accounts/login/", {"login": staff_user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"

    review = review_world(acme, globex_workspace, staff_user)
    reminders_world(acme=acme, globex=globex_workspace, staff_user=staff_user)
    cycles = cycles_world(acme=acme, globex=globex_workspace, staff_user=staff_user, alice=alice)
    benchmark_world(review["flagged"].cycle)
    settings.MEDIA_ROOT = tmp_path  # the reports' PDFs
    reports_world()

    return World(
        **review,
        **cycles,
        acme=acme,
        application=application,
        action=action,
        draft=draft,
        submitted=submitted,
        public_practice=public_practice,
        data_year=data_year,
        data_query=data_query,
        invitation=invitation_token(invitation),
        representative_token=confirmation_token(Representative.objects.get(organisation=acme)),
        unsubscribe=unsubscribe_token(user_id=alice.pk, kind="pledge_review"),
        email_key=EmailConfirmationHMAC(email_address).key,
        reset_key=reset_key,
        clients={
            "anonymous": Client(),
            "alice": logged_in(alice),
            "alice_fresh": reauthenticated(alice),
            "passwordless": logged_in(passwordless),
            "bob": logged_in(bob),
            "charlie": logged_in(charlie),
            "newcomer": logged_in(newcomer),
            "consultant": logged_in(consultant),
            "applicant": logged_in(applicant),
            "invitee": logged_in(invitee),
            "staff": logged_in(staff_user),
            "staff_fresh": reauthenticated(staff_user),
            "staff_raw": logged_in(review["raw_staff"]),
            "second_factor": second_factor,
        },
    )


def review_world(acme, globex, staff_user) -> dict:
    """The data pledge's review: a return with a warning and a question in the 2022 cycle, and
    Globex, which missed 2021 and 2022, proposed for delisting; a suspended signatory."""
    from django.contrib.auth.models import Permission

    from pledges.services.review import return_query
    from tests.conftest import make_cycle, make_organisation
    from tests.pledges.review_data import JUMP_WARNING, submitted_return

    globex.signed_on = dt.date(2020, 1, 1)  # expected in both cycles
    globex.save(update_fields=["signed_on"])
    make_cycle(2021, status="closed")
    flagged = submitted_return(acme, make_cycle(2022, status="closed"), warnings=[JUMP_WARNING])
    return_query(data_return=flagged, by=staff_user, message="Please confirm the merger.")
    raw_staff = make_user("rita@charter.example", full_name="Rita Raw", authenticator=True)
    raw_staff.groups.add(*staff_user.groups.all())
    raw_staff.user_permissions.add(Permission.objects.get(codename="view_raw_figures"))
    suspended = make_organisation(
        "Dormant Co", number=77, status="suspended", suspension_reason="No data since 2020."
    )
    return {"flagged": flagged, "globex": globex, "raw_staff": raw_staff, "suspended": suspended}


def reminders_world(*, acme, globex, staff_user) -> None:
    """Emails in the delivery log: sent, failed (one retried), one listing both organisations;
    Globex's reminders paused."""
    from pledges.models import ReminderDelivery
    from pledges.services.reminders.pauses import reminders_pause
    from tests.pledges.reminder_pages_data import make_delivery

    make_delivery(recipient="alice@acme.example", organisations=[acme])
    make_delivery(recipient="bob@acme.example", organisations=[acme], state="failed", attempts=5)
    retried = make_delivery(
        recipient="carla@consult.example", organisations=[acme, globex], state="failed"
    )
    ReminderDelivery.objects.filter(pk=retried.pk).update(
        retried_at=timezone.now(), retried_by=staff_user
    )
    reminders_pause(organisation=globex, by=staff_user, reason="Merger under way")


def benchmark_world(cycle) -> None:
    """The 2022 report published, with eleven more software organisations in London beside
    Acme's return, so that the own benchmark shows quartile positions and a fall-back."""
    from tests.conftest import make_organisation
    from tests.reports.benchmark_world import publish, submit

    for number in range(2, 13):
        peer = make_organisation(f"Peer {number}", number=300 + number, size_band="250-999")
        submit(cycle, peer, tech_women=4 + number)
    publish(cycle)


def cycles_world(*, acme, globex, staff_user, alice) -> dict:
    """The 2030 cycle, open, with an exemption, a pending and a decided grace request, and a
    raw-data access; the 2031 cycle in draft."""
    from pledges.models import DataReturn, GraceRequest
    from pledges.services.cycles import cycle_create, cycle_exempt, grace_refuse
    from pledges.services.raw_access import record_raw_access
    from tests.conftest import make_cycle

    cycle = make_cycle(2030)
    cycle_create(
        year=2031,
        by=staff_user,
        opens_on=dt.date(2031, 10, 1),
        closes_on=dt.date(2031, 10, 31),
        introduction="Tell us about 2031.",
    )
    exemption = cycle_exempt(cycle=cycle, organisation=globex, by=staff_user, reason="No tech")
    grace = GraceRequest.objects.create(
        data_return=DataReturn.objects.create(cycle=cycle, organisation=acme),
        days=7,
        reason="Payroll migration",
        requested_by=alice,
    )
    decided = GraceRequest.objects.create(
        data_return=DataReturn.objects.create(cycle=cycle, organisation=globex),
        days=3,
        reason="Busy",
        requested_by=alice,
    )
    grace_refuse(grace_request=decided, by=staff_user, note="No")
    record_raw_access(
        user=staff_user, kind="view_return", cycle=cycle, organisation=acme, path="/staff/"
    )
    return {"cycle_exemption": exemption, "grace": grace, "decided_grace": decided}


def reports_world() -> None:
    """The 2032 benchmarking report, and the 2033 one published and then corrected, over
    twelve organisations' returns (so every section has figures, charts and tables)."""
    from tests.conftest import make_cycle
    from tests.reports.report_data import (
        published_report_make,
        report_make,
        two_years_of_returns,
    )

    before, now = make_cycle(2032, status="published"), make_cycle(2033, status="published")
    # Numbers 101 onwards: the world's own signatories keep theirs.
    two_years_of_returns(before, now, start=101)
    published_report_make(before, foreword="The **first** report.")
    published_report_make(now, on=dt.date(2034, 2, 1))
    published_report_make(now, version=2, correction_note="Version 1 had a typo.")
    # Generated and waiting for staff to publish it (its cycle has no returns: all suppressed).
    report_make(make_cycle(2034, status="closed"))


def data_returns(acme, alice) -> tuple[int, object]:
    """This year's collection open around today with Acme's return submitted twice and a staff
    query on it, and last year's closed without one; made through revision_record, so the
    pages do not depend on the date the test runs."""
    from pledges.models import ReturnQuery
    from pledges.services.returns import return_get_or_start, revision_record
    from tests.conftest import make_cycle, valid_figures

    today = timezone.localdate()
    make_cycle(today.year - 1, status="closed")
    cycle = make_cycle(
        today.year,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=20),
    )
    data_return = return_get_or_start(cycle=cycle, organisation=acme)
    for total in (120, 130):
        revision_record(
            data_return=data_return,
            by=alice,
            figures=valid_figures(today.year, total_employees=total),
            warnings=[{"field": "tech_total", "code": "x", "message": "Odd.", "note": "Fine."}],
            is_late=False,
        )
    query = ReturnQuery.objects.create(data_return=data_return, message="Is 130 right?")
    return today.year, query


def fetch(page: Page, w: World) -> tuple[str | None, str]:
    """The page's HTML, or None and why it could not be fetched as expected."""
    client = w.clients[page.who]
    headers = {"HX-Request": "true"} if page.htmx else {}
    if page.post is None:
        response = client.get(page.path(w), follow=page.follow, headers=headers)
    else:
        response = client.post(page.path(w), page.post, headers=headers)
    if response.status_code != page.status:
        where = f" to {response['Location']}" if response.has_header("Location") else ""
        return None, f"expected HTTP {page.status}, got {response.status_code}{where}"
    if page.status == 302:
        response = client.get(response["Location"])
    if not response["Content-Type"].startswith("text/html"):
        return None, f"not HTML: {response['Content-Type']}"
    return response.content.decode(), ""


def as_document(html: str, page: Page) -> str:
    # An htmx fragment is swapped into the directory page, not shown alone: check it inside a
    # minimal document, so what is wrong with the fragment itself is what gets reported.
    if page.htmx:
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>fragment</title>'
            f"</head><body><main>{html}</main></body></html>"
        )
    return html


def error_pages() -> dict[str, str]:
    """The 429 and 500 pages, which no GET of a page reaches."""
    # allauth answers 429 once reset_password's limit (5 a minute for one address) is reached.
    client = Client()
    for _ in range(6):
        response = client.post("/accounts/password/reset/", {"email": "alice@acme.example"})
    assert response.status_code == 429, response.status_code
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return {
        "429 (too many password resets)": response.content.decode(),
        "500": server_error(request).content.decode(),
    }


def vnu_command() -> list[str] | None:
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        reason = (
            "java is not installed"
            if java is None
            else f"{VNU_JAR} is missing (npm ci installs it)"
        )
        if IN_CI:
            pytest.fail(f"CI=true and {reason}: the HTML check must run in CI, not skip.")
        pytest.skip(f"{reason}: scripts/bootstrap test installs it")
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]


def validate(documents: dict[str, str]) -> dict[str, list[str]]:
    """Run vnu once over every document; the errors, by document title."""
    command = vnu_command()
    with tempfile.TemporaryDirectory() as directory:
        files: dict[str, str] = {}
        for number, (title, html) in enumerate(documents.items()):
            path = Path(directory) / f"page-{number:03}.html"
            path.write_text(html, encoding="utf-8")
            files[str(path)] = title
        result = subprocess.run(
            [*command, *sorted(Path(directory).glob("*.html"))],
            capture_output=True,
            text=True,
            timeout=300,
        )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    report = json.loads(result.stderr)
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        # vnu names a file by URL: file:/tmp/.../page-007.html
        url = message.get("url", "?")
        title = files.get(url.removeprefix("file:"), url)
        line = message.get("lastLine", "?")
        extract = re.sub(r"\s+", " ", message.get("extract", "")).strip()
        errors.setdefault(title, []).append(f"line {line}: {message['message']} [{extract}]")
    return errors


def test_every_page_is_valid_html(world):
    documents: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for page in PAGES:
        html, problem = fetch(page, world)
        if html is None:
            problems[page.title] = [problem]
        elif "{#" in html or "#}" in html:
            # A {# #} template comment spanning lines is printed, not dropped (Django's rule).
            problems[page.title] = ["a template comment is shown as text: use {% comment %}"]
        else:
            documents[page.title] = as_document(html, page)
    documents.update(error_pages())

    problems.update(validate(documents))

    assert not problems, "pages that are not valid HTML:\n" + "\n".join(
        f"- {title}:\n    " + "\n    ".join(messages) for title, messages in problems.items()
    )


def test_the_checker_finds_duplicate_ids_and_htmx_attributes():
    # The check itself can fail: a page with the two faults this test exists for is refused.
    errors = validate(
        {
            "bad": '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
            '<p id="id_note" hx-get="/">a</p><p id="id_note">b</p></body></html>'
        }
    )
    assert [message.split(" [")[0] for message in errors["bad"]] == [
        "line 1: Attribute “hx-get” not allowed on element “p” at this point.",
        "line 1: Duplicate ID “id_note”.",
    ]
