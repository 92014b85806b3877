"""Why each essential email cannot be switched off, in the two places it is said: the email's
own footer, and the account's email preferences page. One table, so that a new kind of email
cannot reach one place and not the other (a missing entry once broke the preferences page)."""

from __future__ import annotations

from dataclasses import dataclass

from pledges.models import OPTIONAL_KINDS, ReminderKind


@dataclass(frozen=True)
class Essential:
    footer: str  # completed by the layout: "…, so these emails cannot be switched off."
    why: str  # the preferences page's sentence


ESSENTIAL = {
    ReminderKind.DATA_INVITATION: Essential(
        "Data collection emails are part of the charter's data pledge",
        "It opens the yearly data return your organisation pledged.",
    ),
    ReminderKind.DATA_DUE: Essential(
        "Data deadline emails are part of the charter's data pledge",
        "It carries the deadline of your organisation's data return.",
    ),
    ReminderKind.DATA_OVERDUE: Essential(
        "Data deadline emails are part of the charter's data pledge",
        "It tells you how to ask for more time before it is too late.",
    ),
    ReminderKind.DATA_DELISTING: Essential(
        "Emails about your organisation's place in the charter",
        "It says what happens before your organisation is delisted.",
    ),
    ReminderKind.REPRESENTATIVE_RECONFIRM: Essential(
        "The yearly confirmation of the senior representative",
        "The senior representative must confirm each year.",
    ),
    ReminderKind.REPRESENTATIVE_UNCONFIRMED: Essential(
        "The yearly confirmation of the senior representative",
        "Your organisation needs a confirmed representative.",
    ),
    ReminderKind.INVITATION_EXPIRING: Essential(
        "Emails about an invitation sent to you",
        "The invitation link stops working soon after it.",
    ),
    ReminderKind.JOIN_REQUEST_WAITING: Essential(
        "Emails about your team's join requests",
        "Someone is waiting for an answer to join your team.",
    ),
    ReminderKind.REPORT_PUBLISHED: Essential(
        "The yearly benchmark your organisation's data pledge is for",
        "It brings your organisation its own yearly benchmark.",
    ),
}

ESSENTIAL_KINDS = [kind for kind in ReminderKind if kind not in OPTIONAL_KINDS]
