"""Spotting an organisation that may already be a signatory, or already applying: one rule a test.

A match is the same Companies House number, or a website on the same registrable domain.
"""

from __future__ import annotations

import datetime as dt

from signatories.choices import OrganisationStatus
from signatories.domains import registrable_domain, website_domain
from signatories.selectors import application_duplicates, possible_duplicates
from signatories.services.applications import application_get_or_start, application_save_draft
from tests.conftest import make_organisation, make_user
from tests.signatories.conftest import submit_application_for


def test_a_website_on_a_signatorys_domain_matches_it(acme):
    duplicates = possible_duplicates(website_domain="acme-analytics.example")

    assert duplicates.organisations == [acme]
    assert duplicates.applications == []


def test_a_website_on_an_open_applications_domain_matches_it(db):
    under_review = submit_application_for("peter@initech.example")

    duplicates = possible_duplicates(website_domain="initech.example")

    assert duplicates.organisations == []
    assert duplicates.applications == [under_review]


def test_a_companies_house_number_matches_a_signatory(db):
    acme = make_organisation("Acme Analytics", number=1, companies_house_number="SC123456")

    duplicates = possible_duplicates(
        website_domain="elsewhere.example", companies_house_number="SC123456"
    )

    assert duplicates.organisations == [acme]


def test_a_companies_house_number_matches_an_open_application(db):
    under_review = submit_application_for(
        "peter@initech.example",
        website="https://initech.example",
        companies_house_number="OC301234",
    )

    duplicates = possible_duplicates(
        website_domain="elsewhere.example", companies_house_number="OC301234"
    )

    assert duplicates.applications == [under_review]


def test_different_websites_and_numbers_do_not_match(acme):
    submit_application_for("peter@initech.example")

    duplicates = possible_duplicates(
        website_domain="globex.example", companies_house_number="09999999"
    )

    assert not duplicates


def test_withdrawn_signatories_are_ignored(acme):
    acme.status = OrganisationStatus.WITHDRAWN
    acme.withdrawn_on = dt.date(2025, 1, 1)
    acme.save()

    assert not possible_duplicates(website_domain="acme-analytics.example")


def test_suspended_signatories_still_match(acme):
    acme.status = OrganisationStatus.SUSPENDED
    acme.save()

    assert possible_duplicates(website_domain="acme-analytics.example").organisations == [acme]


def test_the_applicants_own_application_is_ignored(db):
    own = submit_application_for("peter@initech.example")

    assert not possible_duplicates(website_domain="initech.example", applicant=own.applicant)
    assert not application_duplicates(own)


def test_other_peoples_drafts_are_ignored_until_submitted(db):
    draft = application_get_or_start(applicant=make_user("drafter@initech.example"))
    application_save_draft(application=draft, data={"website": "https://initech.example"})

    assert not possible_duplicates(website_domain="initech.example")


def test_the_signatory_an_approved_application_became_is_not_its_own_duplicate(acme):
    own = submit_application_for(
        "alice-again@acme.example", website="https://acme-analytics.example"
    )
    own.organisation = acme

    assert application_duplicates(own).organisations == []


def test_www_and_the_bare_domain_are_the_same_website(db):
    acme = make_organisation(
        "Acme", number=1, website="https://acme.co.uk", website_domain="acme.co.uk"
    )

    domain = website_domain("HTTPS://WWW.Acme.co.uk/about-us")

    assert domain == "acme.co.uk"
    assert possible_duplicates(website_domain=domain).organisations == [acme]


def test_a_subdomain_matches_the_organisations_main_site(db):
    acme = make_organisation(
        "Acme", number=1, website="https://acme.co.uk", website_domain="acme.co.uk"
    )

    assert possible_duplicates(website_domain="jobs.acme.co.uk").organisations == [acme]


def test_the_main_site_matches_a_signatory_listed_under_a_subdomain(db):
    acme = make_organisation(
        "Acme", number=1, website="https://careers.acme.co.uk", website_domain="careers.acme.co.uk"
    )

    assert possible_duplicates(website_domain="acme.co.uk").organisations == [acme]
    assert possible_duplicates(website_domain="jobs.acme.co.uk").organisations == [acme]


def test_organisations_sharing_a_public_suffix_do_not_match(db):
    # co.uk, ac.uk and github.io are public suffixes: their neighbours are other organisations.
    make_organisation("Acme", number=1, website="https://acme.co.uk", website_domain="acme.co.uk")
    make_organisation("Oxford", number=2, website="https://www.ox.ac.uk", website_domain="ox.ac.uk")
    make_organisation(
        "Pages", number=3, website="https://acme.github.io", website_domain="acme.github.io"
    )

    assert not possible_duplicates(website_domain="globex.co.uk")
    assert not possible_duplicates(website_domain="cam.ac.uk")
    assert not possible_duplicates(website_domain="globex.github.io")


def test_a_host_that_is_itself_a_public_suffix_matches_only_itself(db):
    # Government departments share www.gov.uk; only the same host is a possible duplicate.
    hmrc = make_organisation(
        "HMRC", number=1, website="https://www.gov.uk/hmrc", website_domain="gov.uk"
    )
    make_organisation("DVLA", number=2, website="https://dvla.gov.uk", website_domain="dvla.gov.uk")

    assert possible_duplicates(website_domain="gov.uk").organisations == [hmrc]


def test_the_registrable_domain_comes_from_the_bundled_public_suffix_list():
    assert registrable_domain("jobs.acme.co.uk") == "acme.co.uk"
    assert registrable_domain("cs.ox.ac.uk") == "ox.ac.uk"
    assert registrable_domain("b.acme.github.io") == "acme.github.io"
    assert registrable_domain("gov.uk") == ""
    assert registrable_domain("localhost") == ""
    assert registrable_domain("127.0.0.1") == ""
