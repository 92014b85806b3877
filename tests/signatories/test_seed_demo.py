"""seed_demo and the demo data generator behind it.

The generator is pure, so determinism is tested on it directly (two databases to compare would be
awkward); the command is tested for what it writes. Seeds and dates are fixed, so every assertion
is about one known data set, never about chance.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from charter.models import User
from signatories.choices import MemberRole, OrganisationStatus, OrganisationType
from signatories.demo import organisations as demo
from signatories.demo.applications import APPLICANT_EMAIL_PREFIX
from signatories.demo.constants import DEMO_PASSWORD
from signatories.management.commands.seed_demo import Command
from signatories.models import (
    Membership,
    Organisation,
    Representative,
    SignatoryNumberSequence,
)
from tests.conftest import PASSWORD, authenticator_code, make_organisation, make_user

TODAY = dt.date(2025, 6, 30)
COMPANY_NUMBER = re.compile(r"^(\d{8}|(SC|NI|OC|SO|NC|FC)\d{6})$")


def generate(count: int, seed: int = 1, today: dt.date = TODAY) -> list[demo.DemoOrganisation]:
    return demo.organisations(random.Random(seed), count=count, today=today)


@pytest.fixture(scope="module")
def sample() -> list[demo.DemoOrganisation]:
    return generate(5000)


def demo_logins():
    """The staff login and the organisations' admins. The applicants behind the demo review
    queue and the teams' other members (tests/pledges/test_demo.py) are left out."""
    return User.objects.exclude(email__startswith=APPLICANT_EMAIL_PREFIX).filter(
        Q(email=demo.STAFF_EMAIL) | Q(email__startswith="admin@")
    )


def seed(organisations: int, seed: int = 1) -> str:
    out = io.StringIO()
    call_command("seed_demo", organisations=organisations, seed=seed, stdout=out)
    return out.getvalue()


# --- The generator ---------------------------------------------------------------------------


def test_the_same_seed_generates_the_same_data():
    assert generate(300, seed=7) == generate(300, seed=7)
    first = generate(50, seed=7)
    assert demo.accounts(random.Random(3), organisations=first) == demo.accounts(
        random.Random(3), organisations=first
    )


def test_another_seed_generates_other_organisations():
    assert [o.slug for o in generate(50, seed=1)] != [o.slug for o in generate(50, seed=2)]


def test_names_and_slugs_do_not_change_from_one_day_to_the_next():
    # So that re-running seed_demo tomorrow finds what it created today.
    earlier = generate(300, today=dt.date(2024, 1, 15))
    later = generate(300, today=TODAY)
    assert [o.slug for o in earlier] == [o.slug for o in later]
    assert [o.public_name for o in earlier] == [o.public_name for o in later]


def test_a_smaller_run_is_the_start_of_a_larger_one():
    small, large = generate(100), generate(400)
    assert [o.slug for o in small] == [o.slug for o in large[:100]]
    assert [o.description for o in small] == [o.description for o in large[:100]]


def test_it_numbers_organisations_1_to_n_in_signing_date_order(sample):
    assert sorted(o.signatory_number for o in sample) == list(range(1, 5001))
    in_number_order = sorted(sample, key=lambda o: o.signatory_number)
    dates = [o.signed_on for o in in_number_order]
    assert dates == sorted(dates)


def test_names_slugs_and_company_numbers_are_unique(sample):
    assert len({o.public_name.casefold() for o in sample}) == 5000
    assert len({o.slug for o in sample}) == 5000
    numbers = [o.companies_house_number for o in sample if o.companies_house_number]
    assert len(set(numbers)) == len(numbers)


def test_websites_use_the_reserved_example_domain(sample):
    for organisation in sample:
        assert organisation.website == f"https://{organisation.slug}.example"
        assert organisation.website_domain == f"{organisation.slug}.example"


def test_companies_have_a_companies_house_number_and_councils_do_not(sample):
    for organisation in sample:
        if organisation.organisation_type in (
            OrganisationType.UNIVERSITY,
            OrganisationType.PUBLIC_BODY,
        ):
            assert organisation.companies_house_number == ""
            assert organisation.legal_name == organisation.public_name
        if organisation.legal_name.endswith((" Ltd", " Limited", " plc", " LLP")):
            assert COMPANY_NUMBER.match(organisation.companies_house_number)
        if organisation.legal_name.endswith(" LLP"):
            assert organisation.companies_house_number[:2] in {"OC", "SO", "NC"}
    scottish = [o for o in sample if o.region == "scotland" and o.legal_name.endswith(" Ltd")]
    assert scottish
    assert all(o.companies_house_number.startswith("SC") for o in scottish)


def test_employers_have_a_company_legal_name(sample):
    employers = [o for o in sample if o.organisation_type == OrganisationType.EMPLOYER]
    endings = (" Ltd", " Limited", " plc", " LLP", *(f" {form}" for form in demo.OVERSEAS_FORMS))
    assert all(o.legal_name.endswith(endings) for o in employers)
    assert {o.legal_name.rsplit(" ", 1)[1] for o in employers} >= {"Ltd", "plc", "LLP"}


def test_names_fit_the_organisation_type(sample):
    by_type: dict[str, list[str]] = {}
    for organisation in sample:
        by_type.setdefault(organisation.organisation_type, []).append(organisation.public_name)
    assert all(re.search(r"University|College|Institute", name) for name in by_type["university"])
    assert all(
        re.search(r"Council|Police|Fire|Authority|NHS|Integrated Care", name)
        for name in by_type["public-body"]
    )
    assert all(
        re.search(r"Foundation|Trust|Network|Collective|Project|Academy|Club|Women|Mentors", name)
        for name in by_type["charity"]
    )


def test_most_signatories_are_employers_and_london_leads(sample):
    types = Counter(o.organisation_type for o in sample)
    assert types.most_common(1)[0][0] == OrganisationType.EMPLOYER
    assert types[OrganisationType.EMPLOYER] > 0.6 * len(sample)
    assert set(types) == set(OrganisationType.values)
    sectors = Counter(o.sector for o in sample if o.organisation_type == "employer")
    assert sectors.most_common(1)[0][0] == "software"
    regions = Counter(o.region for o in sample)
    assert [region for region, _ in regions.most_common(2)] == ["london", "south-east"]


def test_signing_dates_run_from_2017_to_today_and_grow_over_time(sample):
    assert min(o.signed_on for o in sample) >= dt.date(2017, 1, 1)
    assert max(o.signed_on for o in sample) <= TODAY
    per_year = Counter(o.signed_on.year for o in sample)
    full_years = [per_year[year] for year in range(2017, 2025)]
    assert min(full_years) == per_year[2017]
    assert sum(full_years[4:]) > 1.5 * sum(full_years[:4])


def test_a_few_are_suspended_and_withdrawn_after_signing(sample):
    statuses = Counter(o.status for o in sample)
    assert 0.005 * 5000 <= statuses[OrganisationStatus.SUSPENDED] <= 0.02 * 5000
    assert 0.02 * 5000 <= statuses[OrganisationStatus.WITHDRAWN] <= 0.045 * 5000
    for organisation in sample:
        if organisation.status == OrganisationStatus.WITHDRAWN:
            assert organisation.signed_on < organisation.withdrawn_on <= TODAY
        else:
            assert organisation.withdrawn_on is None


def test_descriptions_are_one_or_two_sentences(sample):
    for organisation in sample:
        text = organisation.description
        assert text.startswith(organisation.public_name)
        assert text.endswith(".")
        assert 1 <= text.count(". ") + 1 <= 2
        assert len(text) <= 1000


def test_each_organisation_names_a_plausible_senior_representative(sample):
    for organisation in sample:
        representative = organisation.representative
        assert representative.email.endswith(f"@{organisation.website_domain}")
        assert re.match(r"^[a-z]+\.[a-z]+@", representative.email)
        assert representative.job_title
        assert representative.named_at.tzinfo is not None
        assert representative.named_at.date() < organisation.signed_on
        if representative.confirmed_at:
            assert representative.named_at < representative.confirmed_at
            assert representative.confirmed_at.date() < TODAY
    assert sum(o.representative.consent_to_be_named for o in sample) > 0.75 * 5000
    assert sum(o.representative.confirmed_at is not None for o in sample) > 0.8 * 5000


def test_the_demo_accounts_are_staff_and_admins_of_three_active_organisations():
    organisations = generate(50)
    accounts = demo.accounts(random.Random(1), organisations=organisations)
    assert accounts[0].email == "staff@charter.example"
    assert accounts[0].is_staff and accounts[0].is_superuser
    assert accounts[1].email == "states@charter.example"
    assert accounts[1].is_staff and not accounts[1].is_superuser
    admins = accounts[2:]
    active = [o for o in organisations if o.status == OrganisationStatus.ACTIVE][:3]
    assert [a.organisation_slug for a in admins] == [o.slug for o in active]
    assert [a.email for a in admins] == [f"admin@{o.slug}.example" for o in active]
    assert {a.role for a in admins} == {MemberRole.ADMIN}


def test_the_generator_refuses_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        generate(-1)


# --- The command -----------------------------------------------------------------------------


def test_it_creates_organisations_representatives_and_demo_logins(db):
    output = seed(40)

    assert Organisation.objects.count() == 40
    assert Representative.objects.filter(ended_at__isnull=True).count() == 40
    assert demo_logins().count() == 4
    assert (
        EmailAddress.objects.filter(verified=True, primary=True, user__in=demo_logins()).count()
        == 4
    )
    assert Membership.objects.filter(role=MemberRole.ADMIN, user__in=demo_logins()).count() == 3
    assert "organisations             40 created, 0 already there" in output
    assert f'password "{DEMO_PASSWORD}"' in output
    assert "staff@charter.example" in output
    assert f"authenticator app secret {demo.STAFF_TOTP_SECRET}" in output


def test_only_the_demo_staff_logins_get_an_authenticator_app_once(db):
    seed(5)
    seed(5)

    for email in ("staff@charter.example", "states@charter.example"):
        totp = User.objects.get(email=email).authenticator_set.get(type="totp")
        assert totp.data["secret"] == demo.STAFF_TOTP_SECRET
    assert Authenticator.objects.count() == 2


def test_the_second_staff_login_sees_states_not_raw_figures(db):
    """The demo shows both sides of the raw-data rule: the superuser holds every permission,
    the other staff login only the charter staff group's."""
    seed(5)

    assert User.objects.get(email="staff@charter.example").has_perm("pledges.view_raw_figures")
    states = User.objects.get(email="states@charter.example")
    assert states.groups.filter(name="Charter staff").exists()
    assert not states.has_perm("pledges.view_raw_figures")


def test_it_numbers_signatories_1_to_n_without_gaps_in_signing_order(db):
    seed(60)

    rows = list(Organisation.objects.order_by("signatory_number"))
    assert [o.signatory_number for o in rows] == list(range(1, 61))
    assert [o.signed_on for o in rows] == sorted(o.signed_on for o in rows)


def test_it_moves_the_signatory_sequence_to_the_last_number(db):
    seed(25)

    assert SignatoryNumberSequence.objects.get(id=1).last_number == 25


def test_running_it_twice_creates_nothing_new(db):
    seed(50)
    before = (
        list(Organisation.objects.values_list("slug", "signatory_number").order_by("slug")),
        Representative.objects.count(),
        User.objects.count(),
        EmailAddress.objects.count(),
        Membership.objects.count(),
    )

    output = seed(50)

    after = (
        list(Organisation.objects.values_list("slug", "signatory_number").order_by("slug")),
        Representative.objects.count(),
        User.objects.count(),
        EmailAddress.objects.count(),
        Membership.objects.count(),
    )
    assert after == before
    assert "already in place: nothing created" in output
    assert SignatoryNumberSequence.objects.get(id=1).last_number == 50


def test_a_larger_second_run_adds_only_the_missing_organisations(db):
    seed(20)
    first_slugs = set(Organisation.objects.values_list("slug", flat=True))

    seed(30)

    assert Organisation.objects.count() == 30
    assert first_slugs < set(Organisation.objects.values_list("slug", flat=True))
    numbers = sorted(Organisation.objects.values_list("signatory_number", flat=True))
    assert numbers == list(range(1, 31))
    assert SignatoryNumberSequence.objects.get(id=1).last_number == 30
    assert Representative.objects.count() == 30


def test_it_numbers_after_existing_signatories(acme):
    seed(10)

    numbers = sorted(
        Organisation.objects.exclude(pk=acme.pk).values_list("signatory_number", flat=True)
    )
    assert numbers == list(range(2, 12))
    acme.refresh_from_db()
    assert acme.signatory_number == 1
    assert SignatoryNumberSequence.objects.get(id=1).last_number == 11


def test_it_leaves_a_real_organisation_with_a_demo_slug_alone(db):
    planned = generate(5, today=timezone.localdate())
    taken = planned[0]
    real = make_organisation(
        "Real One",
        number=1,
        slug=taken.slug,
        website="https://real.test",
        website_domain="real.test",
    )

    output = seed(5)

    real.refresh_from_db()
    assert real.public_name == "Real One"
    assert not real.memberships.exists()
    assert not real.representatives.exists()
    assert Organisation.objects.count() == 5
    assert "1 demo organisations skipped" in output


def test_it_does_not_change_an_existing_user(db):
    existing = make_user("staff@charter.example", full_name="Someone Else")

    seed(5)

    existing.refresh_from_db()
    assert existing.full_name == "Someone Else"
    assert check_password(PASSWORD, existing.password)
    assert not existing.is_superuser
    assert demo_logins().count() == 4


def test_zero_organisations_creates_only_the_staff_logins(db):
    seed(0)

    assert Organisation.objects.count() == 0
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "staff@charter.example",
        "states@charter.example",
    ]
    assert SignatoryNumberSequence.objects.get(id=1).last_number == 0


def test_it_rejects_a_negative_count(db):
    with pytest.raises(CommandError, match=r"--organisations must be 0 or more, not -5\."):
        seed(-5)
    assert Organisation.objects.count() == 0
    assert User.objects.count() == 0


def test_it_rejects_an_absurd_count(db):
    with pytest.raises(CommandError, match=r"--organisations 100,001 is too many"):
        seed(100_001)
    assert Organisation.objects.count() == 0


def test_a_bad_count_exits_non_zero_with_the_message(capsys):
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(
            ["manage.py", "seed_demo", "--organisations", "-1", "--skip-checks"]
        )
    assert exit_info.value.code == 1
    assert "--organisations must be 0 or more" in capsys.readouterr().err


def test_the_demo_staff_user_can_log_in_and_reach_the_admin(client, db):
    seed(5)

    response = client.post(
        "/accounts/login/", {"login": "staff@charter.example", "password": DEMO_PASSWORD}
    )

    # Staff accounts have two factors: the code from the secret seed_demo prints completes it.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": authenticator_code(demo.STAFF_TOTP_SECRET)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    staff = User.objects.get(email="staff@charter.example")
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert staff.is_staff and staff.is_superuser
    assert list(staff.groups.values_list("name", flat=True)) == ["Charter staff"]
    assert client.get("/admin/").status_code == 200


def test_a_demo_organisation_admin_can_log_in_as_admin_of_their_organisation(client, db):
    seed(5)
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(user__email__startswith="admin@")
        .first()
    )

    response = client.post(
        "/accounts/login/", {"login": membership.user.email, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(membership.user.pk)
    assert membership.role == MemberRole.ADMIN
    assert membership.user.email == f"admin@{membership.organisation.slug}.example"
    assert membership.organisation.status == OrganisationStatus.ACTIVE


def test_withdrawn_organisations_have_a_withdrawal_date(db):
    seed(300)

    withdrawn = Organisation.objects.filter(status=OrganisationStatus.WITHDRAWN)
    assert withdrawn.exists()
    for organisation in withdrawn:
        assert organisation.withdrawn_on > organisation.signed_on
    assert not Organisation.objects.exclude(status=OrganisationStatus.WITHDRAWN).filter(
        withdrawn_on__isnull=False
    )


def test_it_writes_in_batches_not_row_by_row(db, django_assert_max_num_queries):
    # 300 organisations, 300 representatives: a per-row query would blow far past this.
    # (55 since the workspace step and its teams: about 7 more queries per 1,000 organisations;
    # 60 since the auto_now_add timestamps are dated after their INSERTs: one UPDATE per model
    # and 1,000 rows, for organisations, memberships, applications, actions, history, practices;
    # 75 since the data collection step: its five cycles, then per 1,000 organisations the
    # members, and an id reservation and a COPY for each of returns, revisions, queries,
    # exemptions and cycle events.)
    with django_assert_max_num_queries(75):
        seed(300)


def test_the_word_lists_are_keyed_by_real_choice_codes():
    # signatories.demo.words is a leaf (it imports nothing of the project), so its tables name
    # the stored codes as plain strings: a misspelt or retired code must fail here, not seed
    # organisations the directory's filters cannot find.
    from signatories import choices
    from signatories.demo import words

    vocabularies = {
        cls.__name__: set(cls.values)
        for cls in (choices.OrganisationType, choices.Sector, choices.SizeBand, choices.Region)
    }

    def check(name: str, table: dict) -> None:
        keys = set(table)
        assert any(keys <= codes for codes in vocabularies.values()), (name, sorted(keys))
        for key, value in table.items():
            if isinstance(value, dict):
                check(f"{name}[{key}]", value)

    tables = {name: value for name, value in vars(words).items() if isinstance(value, dict)}
    assert "TYPE_WEIGHTS" in tables and "SECTOR_WEIGHTS" in tables
    for name, table in tables.items():
        if not name.startswith("_"):
            check(name, table)
