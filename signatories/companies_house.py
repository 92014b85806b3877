"""Companies House numbers as the application form and the imports accept them."""

from __future__ import annotations

import re

from django import forms

# Companies House numbers are 8 characters: 8 digits (companies in England and Wales), a
# 2-letter register prefix and 6 digits (SC Scotland, NI Northern Ireland, OC/SO/NC LLPs,
# LP/SL/NL limited partnerships, FC/SF/NF overseas companies, IP/SP/NP/RS/SI/NO/IC/GE/CE/CS/ZC
# and others), R0 and 6 digits (old Northern Ireland companies), or 2 letters, 5 digits and
# an R (registered societies: IP12345R, SP02434R). New prefixes appear over time, so any two
# letters are accepted rather than a list that would refuse a real company.
COMPANIES_HOUSE_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R0\d{6}|[A-Z]{2}\d{5}R)$")
COMPANIES_HOUSE_FORMS = (
    "A Companies House number is 8 characters: 8 digits (for example 01234567), 2 letters "
    "and 6 digits (for example SC123456), or a form such as R0000123 or IP12345R."
)


def companies_house_number_normalise(raw: str) -> str:
    """The number as Companies House writes it, or a ValidationError saying what to fix.

    Spaces and hyphens go, letters are upper-cased, and an all-digit number typed without its
    leading zeros (``123456``) is padded to 8 digits, as Companies House's own search does.
    """
    number = re.sub(r"[\s-]+", "", raw).upper()
    if not number:
        return ""
    if number.isdigit() and len(number) < 8:
        number = number.zfill(8)
    if COMPANIES_HOUSE_NUMBER.match(number):
        return number
    others = sorted({character for character in number if not character.isalnum()})
    if others:
        problem = f"Remove {' '.join(others)}: the number has only letters and digits."
    elif len(number) > 8:
        problem = f"You typed {len(number)} characters; check for an extra one."
    else:
        problem = "Check it against the company's certificate of incorporation."
    raise forms.ValidationError(f"{COMPANIES_HOUSE_FORMS} {problem}")
