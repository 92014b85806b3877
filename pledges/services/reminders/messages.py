"""The reminder emails: what each kind says, rendered from one shared layout.

``message_render`` builds the context of a delivery from its claims (several organisations in
one email when a person is admin or data contact of several) and renders
``templates/email/reminders/<kind>_{subject.txt,body.txt,body.html}``; both bodies extend the
shared ``email/layout.txt`` / ``email/layout.html``. ``message_samples`` renders every kind from
unsaved sample objects for the staff preview page, through the very same item builders.

Links are absolute (settings.SITE_URL): an email is read outside the site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse

from charter.models import Pledge, User
from pledges import returns_rules as rules
from pledges.models import (
    DataReturn,
    PledgeCommitment,
    ReminderClaim,
    ReminderDelivery,
    ReminderKind,
    ReportingCycle,
    kind_is_optional,
)
from pledges.services.reminders import schedule
from pledges.services.reminders.candidates import (
    DATA_KINDS,
    DigestCounts,
    digest_counts,
    organisation_deadline,
    subject_id,
)
from pledges.services.reminders.essential import ESSENTIAL
from pledges.services.reminders.preferences import unsubscribe_url
from signatories.models import Invitation, JoinRequest, Organisation, Representative
from signatories.services.representatives import CONFIRMATION_MAX_AGE, confirmation_url
from signatories.services.team import INVITATION_MAX_AGE, invitation_url


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SampleMessage:
    kind: str
    step: str
    label: str
    rendered: RenderedEmail


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def incomplete_sections(data_return: DataReturn | None) -> list[str]:
    """The names of the sections of a draft still to fill in (as the return page lists them)."""
    if data_return is None:
        return []
    return [rules.SECTION_LEGENDS[key] for key in rules.sections_incomplete(data_return.figures())]


# ---- items: one per organisation (or subject) an email is about -------------------------------


def data_item(
    *,
    organisation: Organisation,
    cycle: ReportingCycle,
    deadline: dt.date,
    data_return: DataReturn | None,
) -> dict:
    return {
        "name": organisation.public_name,
        "year": cycle.year,
        "deadline": deadline,
        "has_draft": data_return is not None,
        "incomplete": incomplete_sections(data_return),
        "return_url": absolute(
            reverse("pledges:data_return", kwargs={"slug": organisation.slug, "year": cycle.year})
        ),
        "grace_url": absolute(
            reverse("pledges:data_grace", kwargs={"slug": organisation.slug, "year": cycle.year})
        ),
    }


def delisting_item(*, organisation: Organisation, cycle: ReportingCycle) -> dict:
    return {
        "name": organisation.public_name,
        "year": cycle.year,
        "data_url": absolute(reverse("pledges:data", kwargs={"slug": organisation.slug})),
    }


def representative_item(*, representative: Representative, organisation: Organisation) -> dict:
    return {
        "name": organisation.public_name,
        "representative": representative.full_name,
        "confirm_url": confirmation_url(representative),
        "link_days": CONFIRMATION_MAX_AGE // (24 * 60 * 60),
        "representative_url": absolute(
            reverse("workspace:representative", kwargs={"slug": organisation.slug})
        ),
    }


def invitation_item(*, invitation: Invitation, organisation: Organisation) -> dict:
    return {
        "name": organisation.public_name,
        "accept_url": invitation_url(invitation),
        "expires_at": invitation.created_at + dt.timedelta(seconds=INVITATION_MAX_AGE),
    }


def join_request_item(*, join_request: JoinRequest, organisation: Organisation, user: User) -> dict:
    return {
        "name": organisation.public_name,
        "person": user.get_full_name() or user.email,
        "asked_on": join_request.created_at,
        "team_url": absolute(reverse("workspace:team", kwargs={"slug": organisation.slug})),
    }


def pledge_review_item(*, organisation: Organisation, pledges: list[Pledge]) -> dict:
    return {
        "name": organisation.public_name,
        "pledges": [
            {
                "title": pledge.title,
                "url": absolute(
                    reverse(
                        "pledges:review", kwargs={"slug": organisation.slug, "code": pledge.code}
                    )
                ),
            }
            for pledge in pledges
        ],
    }


def digest_item(counts: DigestCounts) -> dict:
    return {
        "counts": counts,
        "applications_url": absolute(reverse("staff:queue")),
        "queries_url": absolute(reverse("staff_data:outliers")),
        "compliance_url": absolute(reverse("staff_data:compliance")),
        "deliveries_url": absolute(reverse("staff_data:reminders") + "?state=failed"),
    }


def report_item(*, organisation: Organisation, year: int, version: int) -> dict:
    """A published report (``report:<year>:organisation:<id>``, step ``published:v<n>``): the
    organisation's own benchmark, and the report everyone can read."""
    return {
        "name": organisation.public_name,
        "year": year,
        "version": version,
        "benchmark_url": absolute(reverse("reports_workspace:benchmark", args=[organisation.slug])),
        # Fixed by the public URL map (DESIGN §5): pledges does not import the reports app.
        "report_url": absolute(f"/reports/{year}/"),
    }


def _report_year_and_version(claim: ReminderClaim) -> tuple[int, int]:
    return int(claim.subject.split(":")[1]), int(claim.step.split(":v", 1)[1])


def _items_from_claims(delivery: ReminderDelivery, claims: list[ReminderClaim]) -> list[dict]:
    kind = delivery.kind
    items = []
    for claim in claims:
        organisation = claim.organisation
        if kind in DATA_KINDS:
            data_return = DataReturn.objects.filter(
                cycle=claim.cycle, organisation=organisation
            ).first()
            deadline = organisation_deadline(
                claim.cycle,
                data_return.grace_until if data_return else None,
                data_return.reopened_until if data_return else None,
            )
            items.append(
                data_item(
                    organisation=organisation,
                    cycle=claim.cycle,
                    deadline=deadline,
                    data_return=data_return,
                )
            )
        elif kind == ReminderKind.DATA_DELISTING:
            items.append(delisting_item(organisation=organisation, cycle=claim.cycle))
        elif kind in (
            ReminderKind.REPRESENTATIVE_RECONFIRM,
            ReminderKind.REPRESENTATIVE_UNCONFIRMED,
        ):
            representative = Representative.objects.get(pk=subject_id(claim.subject))
            items.append(
                representative_item(representative=representative, organisation=organisation)
            )
        elif kind == ReminderKind.INVITATION_EXPIRING:
            invitation = Invitation.objects.get(pk=subject_id(claim.subject))
            items.append(invitation_item(invitation=invitation, organisation=organisation))
        elif kind == ReminderKind.JOIN_REQUEST_WAITING:
            join_request = JoinRequest.objects.select_related("user").get(
                pk=subject_id(claim.subject)
            )
            items.append(
                join_request_item(
                    join_request=join_request, organisation=organisation, user=join_request.user
                )
            )
        elif kind == ReminderKind.PLEDGE_REVIEW:
            anchor = claim.step.split(":", 1)[1]
            pledges = [
                commitment.pledge
                for commitment in PledgeCommitment.objects.filter(organisation=organisation)
                .select_related("pledge")
                .order_by("pledge__position")
                if schedule.pledge_review_anchor(
                    reviewed_at=commitment.reviewed_at, accepted_at=commitment.accepted_at
                ).isoformat()
                == anchor
            ]
            items.append(pledge_review_item(organisation=organisation, pledges=pledges))
        elif kind == ReminderKind.STAFF_DIGEST:
            items.append(digest_item(digest_counts(at=delivery.claimed_at)))
        elif kind == ReminderKind.REPORT_PUBLISHED:
            year, version = _report_year_and_version(claim)
            items.append(report_item(organisation=organisation, year=year, version=version))
    return items


# ---- rendering --------------------------------------------------------------------------------


def message_render(
    delivery: ReminderDelivery, *, claims: list[ReminderClaim] | None = None
) -> RenderedEmail:
    """The email of a delivery; ``claims``: those still due (default: all of its claims)."""
    if claims is None:
        claims = list(delivery.claims.select_related("organisation", "cycle"))
    user_id = (
        User.objects.filter(email__iexact=delivery.recipient, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    final = any(
        schedule.is_last_after_step(delivery.step, claim.cycle.reminder_days_after)
        for claim in claims
        if claim.cycle is not None
    )
    return render_reminder(
        kind=delivery.kind,
        step=delivery.step,
        items=_items_from_claims(delivery, claims),
        user_id=user_id,
        final=final,
    )


def render_reminder(
    *, kind: str, step: str, items: list[dict], user_id: int | None, final: bool = False
) -> RenderedEmail:
    """Render one kind of reminder from its items; ``final``: the last overdue step, which
    copies the senior representative."""
    parts = step.split(":")
    optional = kind_is_optional(kind)
    link = unsubscribe_url(user_id=user_id, kind=kind) if optional and user_id is not None else ""
    context = {
        "site_url": settings.SITE_URL,
        "kind": kind,
        "kind_label": ReminderKind(kind).label,
        "step": step,
        "step_label": schedule.step_label(step),
        "days": int(parts[1]) if parts[0] in ("before", "after") else None,
        "final": final,
        "items": items,
        "first": items[0] if items else {},
        "optional": optional,
        "unsubscribe_url": link,
        "preferences_url": absolute(reverse("email_preferences")),
        "essential_reason": ESSENTIAL[kind].footer if kind in ESSENTIAL else "",
    }
    base = f"email/reminders/{kind}"
    subject = " ".join(_plain(f"{base}_subject.txt", context).split())
    context["subject"] = subject
    headers = {}
    if link:
        # RFC 8058: a mail client may POST "List-Unsubscribe=One-Click" to this URL.
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return RenderedEmail(
        subject=subject,
        text=_plain(f"{base}_body.txt", context),
        html=get_template(f"{base}_body.html").render(context),
        headers=headers,
    )


def _plain(template_name: str, context: dict) -> str:
    # Plain text: HTML escaping would turn "O'Brien & Co" into "O&#x27;Brien &amp; Co".
    return get_template(template_name).template.render(Context(context, autoescape=False))


# ---- samples for the staff preview page ---------------------------------------------------------


def message_samples() -> list[SampleMessage]:
    """Every kind (and each family of steps) rendered from UNSAVED sample objects: nothing is
    read or written, so the preview shows the templates as they are, with stable sample data."""
    organisation = Organisation(
        pk=0, public_name="Example Analytics", slug="example-analytics", data_contact_email=""
    )
    other = Organisation(pk=0, public_name="Example Labs", slug="example-labs")
    cycle = ReportingCycle(
        year=2026, opens_on=dt.date(2026, 10, 1), closes_on=dt.date(2026, 10, 31)
    )
    deadline = cycle.closes_on
    draft = DataReturn(cycle=cycle, organisation=organisation, total_employees=120)
    data_items = [
        data_item(organisation=organisation, cycle=cycle, deadline=deadline, data_return=draft),
        data_item(organisation=other, cycle=cycle, deadline=deadline, data_return=None),
    ]
    named_at = dt.datetime(2025, 11, 2, 10, 0, tzinfo=dt.UTC)
    representative = Representative(
        pk=0,
        organisation=organisation,
        full_name="Dana Director",
        email="dana@example.com",
        named_at=named_at,
        confirmed_at=named_at,
    )
    invitation = Invitation(
        pk=0,
        organisation=organisation,
        email="sam@example.com",
        created_at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC),
    )
    user = User(email="robin@example.com", full_name="Robin Reader")
    join_request = JoinRequest(
        organisation=organisation,
        user=user,
        job_title="Engineer",
        created_at=dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC),
    )
    pledges = [
        Pledge(code="people", title="A senior representative", position=1),
        Pledge(code="plan", title="An action plan", position=2),
    ]
    anchor = schedule.reconfirm_anchor(confirmed_at=named_at, named_at=named_at)
    org_and_cycle = {"organisation": organisation, "cycle": cycle}
    invited = {"invitation": invitation, "organisation": organisation}
    joining = {"join_request": join_request, "organisation": organisation, "user": user}
    reviewing = {"organisation": organisation, "pledges": pledges}
    representatives = [
        representative_item(representative=representative, organisation=organisation)
    ]
    stamp = deadline.isoformat()
    counts = DigestCounts(applications=2, queries=1, delisting=1, failed=3)
    samples = [
        (ReminderKind.DATA_INVITATION, f"open:{cycle.opens_on}", data_items),
        (ReminderKind.DATA_DUE, f"before:14:{stamp}", data_items),
        (ReminderKind.DATA_DUE, f"before:0:{stamp}", data_items),
        (ReminderKind.DATA_OVERDUE, f"after:1:{stamp}", data_items),
        (ReminderKind.DATA_OVERDUE, f"after:14:{stamp}", data_items),
        (ReminderKind.DATA_DELISTING, "delisting:2026", [delisting_item(**org_and_cycle)]),
        (ReminderKind.REPRESENTATIVE_RECONFIRM, f"reconfirm:{anchor}", representatives),
        (ReminderKind.REPRESENTATIVE_RECONFIRM, f"chase7:{anchor}", representatives),
        (ReminderKind.REPRESENTATIVE_UNCONFIRMED, f"unconfirmed:{anchor}", representatives),
        (ReminderKind.INVITATION_EXPIRING, "expiring", [invitation_item(**invited)]),
        (ReminderKind.JOIN_REQUEST_WAITING, "waiting7", [join_request_item(**joining)]),
        (ReminderKind.PLEDGE_REVIEW, "review:2026-12-02", [pledge_review_item(**reviewing)]),
        (ReminderKind.STAFF_DIGEST, "day:2026-12-02", [digest_item(counts)]),
        (
            ReminderKind.REPORT_PUBLISHED,
            "published:v1",
            [
                report_item(organisation=organisation, year=2025, version=1),
                report_item(organisation=other, year=2025, version=1),
            ],
        ),
    ]
    # The default schedule's last overdue step (14 days after) copies the representative.
    final_step = f"after:14:{stamp}"
    return [
        SampleMessage(
            kind=kind,
            step=step,
            label=f"{ReminderKind(kind).label}: {schedule.step_label(step)}",
            # user_id 0: the sample's unsubscribe link is a real, signed link to nobody.
            rendered=render_reminder(
                kind=kind, step=step, items=items, user_id=0, final=step == final_step
            ),
        )
        for kind, step, items in samples
    ]
