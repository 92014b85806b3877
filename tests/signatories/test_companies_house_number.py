"""Companies House numbers: every real form accepted, written as Companies House writes it."""

from __future__ import annotations

import pytest
from django import forms

from signatories.companies_house import companies_house_number_normalise
from signatories.models import Application
from tests.signatories.conftest import form_data


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01234567", "01234567"),  # England and Wales
        ("SC123456", "SC123456"),  # Scotland
        ("ni 012345", "NI012345"),  # Northern Ireland, typed in lower case with a space
        ("OC301234", "OC301234"),  # limited liability partnership
        ("SO300123", "SO300123"),
        ("NC001234", "NC001234"),
        ("LP012345", "LP012345"),  # limited partnership
        ("SL012345", "SL012345"),
        ("NL000123", "NL000123"),
        ("FC012345", "FC012345"),  # overseas company
        ("SF000123", "SF000123"),
        ("NF000123", "NF000123"),
        ("RS007904", "RS007904"),  # registered society
        ("SI000123", "SI000123"),
        ("NP000123", "NP000123"),
        ("NO000123", "NO000123"),
        ("IC000123", "IC000123"),
        ("GE000123", "GE000123"),
        ("CE000123", "CE000123"),
        ("CS000123", "CS000123"),
        ("ZC000123", "ZC000123"),
        ("R0000123", "R0000123"),  # older Northern Ireland company
        ("IP12345R", "IP12345R"),  # industrial and provident society
        ("sp02434r", "SP02434R"),
        ("123456", "00123456"),  # leading zeros left out
        ("1", "00000001"),
        ("0123-4567", "01234567"),
        ("  ", ""),
    ],
)
def test_it_accepts_every_real_form_and_normalises_it(typed, stored):
    assert companies_house_number_normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("012345678", "You typed 9 characters; check for an extra one."),
        ("SC1234567", "You typed 9 characters; check for an extra one."),
        ("SC12345", "Check it against the company's certificate of incorporation."),
        ("S1234567", "Check it against the company's certificate of incorporation."),
        ("IP1234RR", "Check it against the company's certificate of incorporation."),
        ("SC/12345", "Remove /: the number has only letters and digits."),
    ],
)
def test_it_says_what_to_fix(typed, says):
    with pytest.raises(forms.ValidationError) as refused:
        companies_house_number_normalise(typed)

    message = refused.value.messages[0]
    assert message.startswith("A Companies House number is 8 characters: 8 digits")
    assert message.endswith(says)


def test_the_form_keeps_a_bad_number_and_saves_nothing(client, applicant):
    client.force_login(applicant)

    response = client.post("/sign/application/submit/", form_data(companies_house_number="SC1234"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "certificate of incorporation" in html
    assert 'value="SC1234"' in html
    assert not Application.objects.exists()


def test_a_short_number_is_saved_with_its_leading_zeros(client, applicant):
    client.force_login(applicant)

    client.post("/sign/application/save/", {"companies_house_number": "98765"})

    assert Application.objects.get().companies_house_number == "00098765"
