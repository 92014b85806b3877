from __future__ import annotations

import pytest

from signatories.models import Application
from signatories.services.applications import application_get_or_start, application_submit
from tests.conftest import make_user


def application_data(**overrides) -> dict:
    """A complete, valid application as the service receives it (cleaned values)."""
    data = {
        "legal_name": "Initech Limited",
        "public_name": "Initech",
        "website": "https://www.initech.example",
        "companies_house_number": "01234567",
        "organisation_type": "employer",
        "sector": "software",
        "size_band": "250-999",
        "region": "north-west",
        "description": "Initech makes software for banks.",
        "representative_name": "Rosa Reyes",
        "representative_job_title": "Chief People Officer",
        "representative_email": "rosa@initech.example",
        "representative_consents_to_be_named": True,
        "data_contact_name": "",
        "data_contact_email": "",
        "accepts_people": True,
        "accepts_plan": True,
        "accepts_policies": True,
        "accepts_practice": True,
        "accepts_data": True,
        "plan_statement": "Every shortlist has at least one woman.",
        "policies_statement": "",
        "practice_statement": "",
        "applicant_job_title": "Head of Talent",
    }
    data.update(overrides)
    return data


def form_data(**overrides) -> dict:
    """The same application as a browser would POST it."""
    posted = {}
    for name, value in application_data(**overrides).items():
        if value is True:
            posted[name] = "on"
        elif value is False:
            continue
        else:
            posted[name] = value
    return posted


@pytest.fixture
def applicant(db):
    return make_user("peter@initech.example", full_name="Peter Gibbons")


@pytest.fixture
def submitted_application(applicant) -> Application:
    application = application_get_or_start(applicant=applicant)
    return application_submit(application=application, data=application_data())


def submit_application_for(email: str, **overrides) -> Application:
    user = make_user(email)
    application = application_get_or_start(applicant=user)
    return application_submit(application=application, data=application_data(**overrides))
