"""The schedule's pure rules, and the emails: one shared layout, both parts, every kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from charter.emails import email_queue_from_templates
from pledges.models import OPTIONAL_KINDS, ReminderKind
from pledges.services.reminders import schedule
from pledges.services.reminders.messages import message_samples
from tests.pledges.reminders_helpers import LONDON, london


def steps(*days: int) -> list[schedule.Step]:
    return [
        schedule.Step("data_due", f"s{day}", schedule.step_moment(dt.date(2026, 10, day)))
        for day in days
    ]


def test_only_the_latest_passed_step_is_due_until_the_next_one():
    sequence = steps(3, 17, 24)

    assert schedule.due_step(sequence, london(2026, 10, 3, 8, 59)) is None
    assert schedule.due_step(sequence, london(2026, 10, 3, 9, 0)).step == "s3"
    assert schedule.due_step(sequence, london(2026, 10, 17, 8, 59)).step == "s3"
    assert schedule.due_step(sequence, london(2026, 10, 20)).step == "s17"
    assert schedule.due_step(sequence, london(2026, 10, 31, 8, 59)).step == "s24"
    assert schedule.due_step(sequence, london(2026, 10, 31, 9, 0)) is None  # a week at most


def test_steps_go_out_at_nine_london_time_in_summer_and_winter():
    assert schedule.step_moment(dt.date(2026, 7, 1)).astimezone(dt.UTC).hour == 8
    assert schedule.step_moment(dt.date(2026, 12, 1)).astimezone(dt.UTC).hour == 9
    assert schedule.step_moment(dt.date(2026, 12, 1)).tzinfo == LONDON


def test_the_default_deadline_steps_name_their_deadline():
    names = [
        step.step
        for step in schedule.deadline_steps(
            deadline=dt.date(2026, 10, 31), days_before=[28, 14, 7, 2, 0], days_after=[1, 14]
        )
    ]
    assert names == [
        "before:28:2026-10-31",
        "before:14:2026-10-31",
        "before:7:2026-10-31",
        "before:2:2026-10-31",
        "before:0:2026-10-31",
        "after:1:2026-10-31",
        "after:14:2026-10-31",
    ]


def test_a_year_later_is_the_last_day_of_february_for_a_leap_day():
    assert schedule.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert schedule.add_months(dt.date(2025, 11, 20), -12) == dt.date(2024, 11, 20)


def test_working_days_skip_weekends():
    # Monday 2 November 2026, 5 working days back: Monday 26 October.
    assert schedule.working_days_before(dt.date(2026, 11, 2), 5) == dt.date(2026, 10, 26)


@pytest.mark.parametrize(
    ("step", "label"),
    [
        ("before:7:2026-10-31", "7 days before 31 Oct 2026"),
        ("before:0:2026-10-31", "On the deadline, 31 Oct 2026"),
        ("after:1:2026-10-31", "1 day after 31 Oct 2026"),
        ("chase21:2026-10-10", "Chased 21 days after 10 Oct 2026"),
        ("day:2026-11-04", "Digest of 4 Nov 2026"),
        ("odd", "odd"),
    ],
)
def test_step_labels(step, label):
    assert schedule.step_label(step) == label


@pytest.mark.django_db
def test_every_kind_has_a_sample_with_both_parts_from_the_shared_layout():
    samples = message_samples()

    assert {sample.kind for sample in samples} == set(ReminderKind.values)
    for sample in samples:
        rendered = sample.rendered
        assert rendered.subject and "{" not in rendered.subject
        assert rendered.html.startswith("<!DOCTYPE html>")
        assert '<html lang="en-GB">' in rendered.html
        assert f"<title>{rendered.subject}</title>" in rendered.html.replace("&#x27;", "'")
        assert "Tech Diversity Charter: " + settings.SITE_URL in rendered.text
        if sample.kind in OPTIONAL_KINDS:
            assert "Switch these emails off with one click" in rendered.text
            assert rendered.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        else:
            assert "cannot be switched off" in rendered.text
            assert "cannot be switched off" in rendered.html
            assert rendered.headers == {}
        # Absolute links only: an email is read outside the site.
        assert 'href="/' not in rendered.html


@pytest.mark.django_db
def test_a_draft_sample_lists_its_incomplete_sections():
    due = next(s for s in message_samples() if s.step.startswith("before:14"))

    assert "incomplete section" in due.rendered.text
    assert "Example Analytics" in due.rendered.text and "Example Labs" in due.rendered.text
    assert "nothing started yet" in due.rendered.text


@pytest.mark.django_db
def test_the_existing_emails_get_an_html_part_from_the_same_layout(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue_from_templates(
            to=["dana@acme.example"],
            template="representative_confirm",
            context={
                "representative": {"full_name": "Dana O'Brien", "consent_to_be_named": True},
                "organisation": {"public_name": "Acme & Co"},
                "named_by": None,
                "confirm_url": "https://charter.example/dashboard/representative/abc/",
                "days": 30,
            },
        )

    message = mail.outbox[0]
    assert "Hello Dana O'Brien," in message.body  # the text part is unchanged
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en-GB">' in html
    print(html)
    assert "Dana O&#x27;Brien" in html and "Acme &amp; Co" in html
    assert (
        '<a href="https://charter.example/dashboard/representative/abc/" rel="nofollow">'
        "https://charter.example/dashboard/representative/abc/</a>" in html
    )


def test_every_essential_kind_says_why_it_cannot_be_switched_off():
    from pledges.models import OPTIONAL_KINDS, ReminderKind
    from pledges.services.reminders.essential import ESSENTIAL, ESSENTIAL_KINDS

    assert set(ESSENTIAL) == set(ReminderKind) - OPTIONAL_KINDS == set(ESSENTIAL_KINDS)
    for essential in ESSENTIAL.values():
        assert essential.footer and essential.why.endswith(".")
