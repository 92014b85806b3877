"""Realistic, deterministic demo data: organisations that might sign a tech diversity charter.

Pure functions: each takes a ``random.Random`` and returns plain values, touching neither the
database nor the clock (today's date is an argument). ``seed_demo`` turns the result into rows.

Two properties the command relies on:

- Same seed, same data. Every organisation consumes the same random draws whatever ``today`` is,
  so names, slugs and websites do not change from one day to the next and re-running the command
  tomorrow finds the organisations it created today.
- Prefix-stable. Organisation *i* depends only on the draws before it, so the first 300 of a
  10,000-organisation run are the 300 of a 300-organisation run with the same seed. Only the
  signatory numbers (given in signing-date order across the whole set) differ.

Everything public-facing is fictional: invented brands and places, and websites under the
reserved ``.example`` top-level domain, so no real organisation or site is named.

The weights, word lists and description phrases it draws from live in
``signatories.demo.words``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from signatories.choices import (
    MemberRole,
    OrganisationStatus,
    OrganisationType,
    Region,
    Sector,
    SizeBand,
)
from signatories.demo.words import (
    BRAND_ENDS,
    BRAND_STARTS,
    BRAND_WORDS,
    CHARITY_FIRST,
    CHARITY_GROUPS,
    CHARITY_MEANS,
    CHARITY_PLACE_PATTERNS,
    CHARITY_SECOND,
    CHARITY_THIRD,
    CUSTOMERS,
    FIRST_NAMES,
    HEADCOUNT_RANGES,
    JOB_TITLES,
    NETWORK_MEMBERS,
    OTHER_PATTERNS,
    OVERSEAS_FORMS,
    PLACE_ENDS,
    PLACE_STARTS,
    PRODUCTS,
    PUBLIC_BODY_PATTERNS,
    PUBLIC_BODY_TEAMS,
    RECRUITER_CLIENTS,
    RECRUITER_ROLES,
    REGION_PHRASES,
    REGION_WEIGHTS,
    SECOND_SENTENCES,
    SECTOR_NOUNS,
    SECTOR_QUALIFIERS,
    SECTOR_WEIGHTS,
    SIZE_WEIGHTS,
    SMALL_COMPANY_TITLES,
    SURNAMES,
    TYPE_WEIGHTS,
    UK_REGION_WEIGHTS,
    UNIVERSITY_PATTERNS,
    UNIVERSITY_QUALIFIERS,
    WHAT_THEY_DO,
)
from signatories.domains import website_domain

# The charter's first signatures. Signing dates run from here to "today".
CHARTER_START = dt.date(2017, 1, 1)
UK_TIME = ZoneInfo("Europe/London")

STAFF_EMAIL = "staff@charter.example"
# A member of staff without the raw diversity data permission: shows what most staff see.
STATES_STAFF_EMAIL = "states@charter.example"
# The demo staff login's authenticator app secret (base32, as authenticator apps take it). Staff
# pages need two factors (charter/security.py); seed_demo prints this beside the password so a
# demo user can add it to an app. Published like the password: demo databases only.
STAFF_TOTP_SECRET = "CHARTERDEMOSTAFFTOTPSECRET234567"

# Of every 100 signatories, about 1 is suspended and 3 have withdrawn.
SUSPENDED_SHARE = 0.01
WITHDRAWN_SHARE = 0.03
CONSENT_SHARE = 0.88
CONFIRMED_SHARE = 0.9

# Signing dates are drawn as CHARTER_START + span * u ** GROWTH_EXPONENT (u uniform in [0, 1)):
# the density rises as t ** (1 / 0.6 - 1), so each year expects more signings than the one
# before, while the first year still has a few percent (a charter that started with 17).
GROWTH_EXPONENT = 0.6

# How many times to draw another name before making a taken one unique by other means.
NAME_ATTEMPTS = 12


# Staff approve applications at this time of day: the organisation's signing moment.
APPROVAL_TIME = dt.time(10)


def approval_time(signed_on: dt.date, *, now: dt.datetime | None = None) -> dt.datetime:
    """When staff approved an organisation that signed on ``signed_on``: its creation, the
    approved application's decision, its admin's membership and its pledge commitments. Never
    after ``now`` (an organisation that signs today before ten was approved just now)."""
    moment = dt.datetime.combine(signed_on, APPROVAL_TIME, tzinfo=UK_TIME)
    return min(moment, now) if now is not None else moment


# --- What the generator returns --------------------------------------------------------------


@dataclass(frozen=True)
class DemoRepresentative:
    full_name: str
    job_title: str
    email: str
    consent_to_be_named: bool
    named_at: dt.datetime
    confirmed_at: dt.datetime | None


@dataclass(frozen=True)
class DemoOrganisation:
    public_name: str
    legal_name: str
    slug: str
    website: str
    website_domain: str
    companies_house_number: str
    organisation_type: str
    sector: str
    size_band: str
    region: str
    description: str
    status: str
    signed_on: dt.date
    withdrawn_on: dt.date | None
    signatory_number: int
    representative: DemoRepresentative


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    is_staff: bool = False
    is_superuser: bool = False
    organisation_slug: str = ""
    role: str = ""
    description: str = ""


# --- Small pieces ----------------------------------------------------------------------------


def weighted(rng: random.Random, weights: dict) -> str:
    """One key of ``weights``, drawn in proportion to its value (one draw from ``rng``)."""
    # str(): plain codes rather than TextChoices members, so values print and compare as data.
    return str(rng.choices(list(weights), weights=list(weights.values()))[0])


def place_name(rng: random.Random) -> str:
    """An invented English-sounding place: Eastmoor, Kingsholt, Brackenford."""
    return rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS)


def brand_name(rng: random.Random) -> str:
    """An invented brand: Brightloop, Northwind, Kestrel."""
    if rng.random() < 0.8:
        return rng.choice(BRAND_STARTS) + rng.choice(BRAND_ENDS)
    return rng.choice(BRAND_WORDS)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def ascii_letters(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Siobhán O'Brien" -> "siobhanobrien"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(character for character in folded.lower() if character.isalnum())


def organisation_type(rng: random.Random) -> str:
    return weighted(rng, TYPE_WEIGHTS)


def sector(rng: random.Random, *, organisation_type: str) -> str:
    return weighted(rng, SECTOR_WEIGHTS[organisation_type])


def size_band(rng: random.Random, *, organisation_type: str) -> str:
    return weighted(rng, SIZE_WEIGHTS[organisation_type])


def region(rng: random.Random, *, organisation_type: str) -> str:
    """Employers and recruiters may be based abroad; councils, universities and charities not."""
    if organisation_type in (OrganisationType.EMPLOYER, OrganisationType.RECRUITER):
        return weighted(rng, REGION_WEIGHTS)
    return weighted(rng, UK_REGION_WEIGHTS)


def _fill(rng: random.Random, pattern: str) -> str:
    # Draw only what the pattern uses, so each pattern consumes a fixed number of draws.
    values = {}
    for key, draw in (
        ("place", place_name),
        ("other_place", place_name),
        ("brand", brand_name),
        ("qualifier", lambda rng: rng.choice(UNIVERSITY_QUALIFIERS)),
    ):
        if "{" + key + "}" in pattern:
            values[key] = draw(rng)
    return pattern.format(**values)


def _pattern(rng: random.Random, patterns: Sequence[tuple[int, str]]) -> str:
    return rng.choices([p for _, p in patterns], weights=[w for w, _ in patterns])[0]


def organisation_name(rng: random.Random, *, organisation_type: str, sector: str) -> str:
    """A public name in the style of the organisation's type and sector.

    "Brightloop Software", "Kestrel Recruitment", "University of Eastmoor",
    "Ashcombe City Council", "Code Bridge Foundation", "Okafor Reid Consulting".
    """
    if organisation_type == OrganisationType.UNIVERSITY:
        return _fill(rng, _pattern(rng, UNIVERSITY_PATTERNS))
    if organisation_type == OrganisationType.PUBLIC_BODY:
        return _fill(rng, _pattern(rng, PUBLIC_BODY_PATTERNS[sector]))
    if organisation_type == OrganisationType.CHARITY:
        if rng.random() < 0.8:
            words = (rng.choice(CHARITY_FIRST), rng.choice(CHARITY_SECOND))
            return f"{words[0]} {words[1]} {rng.choice(CHARITY_THIRD)}"
        return _fill(rng, rng.choice(CHARITY_PLACE_PATTERNS))
    if organisation_type == OrganisationType.OTHER:
        return _fill(rng, _pattern(rng, OTHER_PATTERNS))

    nouns = SECTOR_NOUNS[sector]
    style = rng.random()
    if sector in (Sector.PROFESSIONAL, Sector.RECRUITMENT, Sector.FINANCE) and style < 0.25:
        # Partnerships and boutique firms are often named after their founders.
        first, second = rng.choice(SURNAMES), rng.choice(SURNAMES)
        return f"{first} {second} {rng.choice(nouns)}" if first != second else f"{first} & Co"
    if style < 0.35:
        return f"{brand_name(rng)} {rng.choice(SECTOR_QUALIFIERS)} {rng.choice(nouns)}"
    if style < 0.45:
        return f"{place_name(rng)} {rng.choice(nouns)}"
    return f"{brand_name(rng)} {rng.choice(nouns)}"


def unique_name(rng: random.Random, *, organisation_type: str, sector: str, taken: set[str]) -> str:
    """A name no earlier organisation has (compared case-insensitively); adds it to ``taken``."""
    for _ in range(NAME_ATTEMPTS):
        name = organisation_name(rng, organisation_type=organisation_type, sector=sector)
        if name.casefold() not in taken:
            break
    else:
        # Only very large runs get here: a place in front still reads like a real name.
        base = name = f"{place_name(rng)} {name}"
        for number in itertools.count(2):
            if name.casefold() not in taken:
                break
            name = f"{base} ({number})"
    taken.add(name.casefold())
    return name


def unique_slug(name: str, *, taken: set[str]) -> str:
    """The slug of ``name``, with "-2", "-3"... when two names slugify alike."""
    base = slugify(name)[:200] or "organisation"
    slug = base
    for number in itertools.count(2):
        if slug not in taken:
            break
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def legal_name(
    rng: random.Random,
    *,
    public_name: str,
    organisation_type: str,
    sector: str,
    size_band: str,
    region: str,
) -> str:
    """The registered name: "... Ltd", "... plc", "... LLP" for companies; public bodies,
    universities and most charities are registered under their public name."""
    roll = rng.random()
    if organisation_type in (OrganisationType.UNIVERSITY, OrganisationType.PUBLIC_BODY):
        return public_name
    if organisation_type == OrganisationType.CHARITY:
        # A charitable incorporated organisation (no company), a charitable company or a CIC.
        if roll < 0.55:
            return public_name
        return f"{public_name} Limited" if roll < 0.85 else f"{public_name} CIC"
    if region == Region.OUTSIDE_UK and roll < 0.5:
        return f"{public_name} {rng.choice(OVERSEAS_FORMS)}"
    if sector == Sector.PROFESSIONAL and roll < 0.3:
        return f"{public_name} LLP"
    if size_band in (SizeBand.VERY_LARGE, SizeBand.ENTERPRISE) and roll < 0.4:
        return f"{public_name} plc"
    if region == Region.OUTSIDE_UK:
        return f"{public_name} UK Ltd"
    return f"{public_name} Ltd" if roll < 0.8 else f"{public_name} Limited"


COMPANY_SUFFIXES = (" Ltd", " Limited", " plc", " LLP", " CIC")


def companies_house_number(
    rng: random.Random, *, legal_name: str, region: str, taken: set[str]
) -> str:
    """An 8-character Companies House number for a UK-registered company, else "".

    England and Wales: 8 digits (older companies start with 0); Scotland "SC", Northern Ireland
    "NI"; limited liability partnerships "OC" / "SO" / "NC"; an overseas company with a UK
    establishment "FC". Always draws twice, so a company and a non-company use the same draws.
    """
    digits, eight_digits = rng.randrange(1_000_000), rng.randrange(1_000_000, 16_000_000)
    is_overseas = region == Region.OUTSIDE_UK and not legal_name.endswith(COMPANY_SUFFIXES)
    if not legal_name.endswith(COMPANY_SUFFIXES) and not is_overseas:
        return ""
    if is_overseas:
        prefix = "FC"
    elif legal_name.endswith(" LLP"):
        prefix = {Region.SCOTLAND: "SO", Region.NORTHERN_IRELAND: "NC"}.get(region, "OC")
    else:
        prefix = {Region.SCOTLAND: "SC", Region.NORTHERN_IRELAND: "NI"}.get(region, "")
    width = 8 - len(prefix)
    value = digits if prefix else eight_digits
    # Collisions are rare; stepping to the next free number keeps the result deterministic.
    while (number := f"{prefix}{value:0{width}d}") in taken:
        value = (value + 1) % 10**width
    taken.add(number)
    return number


def headcount(rng: random.Random, *, size_band: str) -> int:
    low, high, step = HEADCOUNT_RANGES[size_band]
    return low + rng.randrange((high - low) // step + 1) * step


def description(
    rng: random.Random,
    *,
    public_name: str,
    organisation_type: str,
    sector: str,
    size_band: str,
    region: str,
) -> str:
    """One or two sentences about the organisation, in its own voice."""
    if organisation_type == OrganisationType.RECRUITER:
        first = (
            f"{public_name} recruits {rng.choice(RECRUITER_ROLES)} "
            f"for {rng.choice(RECRUITER_CLIENTS)}."
        )
    elif organisation_type == OrganisationType.CHARITY:
        first = (
            f"{public_name} helps {rng.choice(CHARITY_GROUPS)} into careers in tech "
            f"through {rng.choice(CHARITY_MEANS)}."
        )
    elif organisation_type == OrganisationType.UNIVERSITY:
        first = (
            f"{public_name} teaches computing, data science and cyber security, "
            f"from {rng.choice(('degrees', 'apprenticeships', 'short courses'))} "
            f"to {rng.choice(('postgraduate research', 'professional training', 'T Levels'))}."
        )
    elif organisation_type == OrganisationType.PUBLIC_BODY:
        services = {
            Sector.HEALTH: "hospital and community health services",
            Sector.TRANSPORT: "transport infrastructure and services",
        }.get(sector, "public services")
        first = (
            f"{public_name} provides {services} {REGION_PHRASES[region]}, "
            f"with {rng.choice(PUBLIC_BODY_TEAMS)}."
        )
    elif organisation_type == OrganisationType.OTHER:
        first = (
            f"{public_name} brings together {rng.choice(NETWORK_MEMBERS)} "
            f"{REGION_PHRASES[region]} to share what works in inclusive hiring."
        )
    else:
        phrase = rng.choice(WHAT_THEY_DO[sector]).format(
            product=rng.choice(PRODUCTS[sector]), customers=rng.choice(CUSTOMERS[sector])
        )
        first = f"{public_name} {phrase}."

    second_roll, template = rng.random(), rng.choice(SECOND_SENTENCES)
    people = headcount(rng, size_band=size_band)
    if second_roll < 0.4:
        return first
    place = REGION_PHRASES[region]
    if place in first:
        # Say where only once.
        template = template.replace("{where_plain}", "across the region").replace("{where}", "")
    second = template.format(
        headcount=f"{people:,}",
        where=f" {place}" if region != Region.OUTSIDE_UK else "",
        where_plain=place,
    )
    return f"{first} {second}"


def signing_date(rng: random.Random, *, today: dt.date) -> dt.date:
    """A date from CHARTER_START to ``today``, later dates more likely (the charter grows)."""
    fraction = rng.random() ** GROWTH_EXPONENT
    span = max((today - CHARTER_START).days, 0)
    return CHARTER_START + dt.timedelta(days=min(int(fraction * (span + 1)), span))


def status_and_withdrawal(
    rng: random.Random, *, signed_on: dt.date, today: dt.date
) -> tuple[str, dt.date | None]:
    """Mostly active; about 1% suspended, 3% withdrawn some days after signing."""
    roll, later = rng.random(), rng.random()
    if roll < SUSPENDED_SHARE:
        return OrganisationStatus.SUSPENDED.value, None
    if roll < SUSPENDED_SHARE + WITHDRAWN_SHARE and signed_on < today:
        days_after = 1 + int(later * (today - signed_on).days)
        return OrganisationStatus.WITHDRAWN.value, min(signed_on + dt.timedelta(days_after), today)
    return OrganisationStatus.ACTIVE.value, None


def job_title(rng: random.Random, *, organisation_type: str, size_band: str) -> str:
    """A senior title; in small companies the founder often signs."""
    roll = rng.random()
    title = rng.choice(JOB_TITLES[organisation_type])
    founder_title = rng.choice(SMALL_COMPANY_TITLES)
    small = size_band in (SizeBand.MICRO, SizeBand.SMALL)
    if small and organisation_type == OrganisationType.EMPLOYER and roll < 0.6:
        return founder_title
    return title


def representative(
    rng: random.Random,
    *,
    organisation_type: str,
    size_band: str,
    domain: str,
    signed_on: dt.date,
    today: dt.date,
) -> DemoRepresentative:
    """The senior representative named on the application, a few days before signing."""
    full_name = person_name(rng)
    first, _, last = full_name.partition(" ")
    title = job_title(rng, organisation_type=organisation_type, size_band=size_band)
    named_days_before, hour, minute = rng.randint(1, 21), rng.randint(8, 17), rng.randrange(60)
    confirm_after_days, confirm_hour = rng.randint(0, 7), rng.randint(1, 3)
    consent, confirms = rng.random() < CONSENT_SHARE, rng.random() < CONFIRMED_SHARE

    named_on = signed_on - dt.timedelta(days=named_days_before)
    named_at = dt.datetime.combine(named_on, dt.time(hour, minute), tzinfo=UK_TIME)
    # Asked to confirm once the organisation is approved, not while it is still applying.
    confirmed_at = approval_time(signed_on) + dt.timedelta(
        days=confirm_after_days, hours=confirm_hour
    )
    # A confirmation is never in the future: only days strictly before today count.
    if not confirms or confirmed_at.date() >= today:
        confirmed_at = None
    return DemoRepresentative(
        full_name=full_name,
        job_title=title,
        email=f"{ascii_letters(first)}.{ascii_letters(last)}@{domain}",
        consent_to_be_named=consent,
        named_at=named_at,
        confirmed_at=confirmed_at,
    )


# --- The whole set ---------------------------------------------------------------------------


def organisations(rng: random.Random, *, count: int, today: dt.date) -> list[DemoOrganisation]:
    """``count`` distinct organisations, numbered 1..count in signing-date order.

    Names, slugs and Companies House numbers are unique within the set.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if today < CHARTER_START:
        raise ValueError(f"today must be on or after {CHARTER_START}")
    taken_names: set[str] = set()
    taken_slugs: set[str] = set()
    taken_numbers: set[str] = set()
    drafts: list[DemoOrganisation] = []
    for _ in range(count):
        kind = organisation_type(rng)
        industry = sector(rng, organisation_type=kind)
        size = size_band(rng, organisation_type=kind)
        where = region(rng, organisation_type=kind)
        name = unique_name(rng, organisation_type=kind, sector=industry, taken=taken_names)
        slug = unique_slug(name, taken=taken_slugs)
        website = f"https://{slug}.example"
        domain = website_domain(website)
        registered = legal_name(
            rng,
            public_name=name,
            organisation_type=kind,
            sector=industry,
            size_band=size,
            region=where,
        )
        signed_on = signing_date(rng, today=today)
        status, withdrawn_on = status_and_withdrawal(rng, signed_on=signed_on, today=today)
        drafts.append(
            DemoOrganisation(
                public_name=name,
                legal_name=registered,
                slug=slug,
                website=website,
                website_domain=domain,
                companies_house_number=companies_house_number(
                    rng, legal_name=registered, region=where, taken=taken_numbers
                ),
                organisation_type=kind,
                sector=industry,
                size_band=size,
                region=where,
                description=description(
                    rng,
                    public_name=name,
                    organisation_type=kind,
                    sector=industry,
                    size_band=size,
                    region=where,
                ),
                status=status,
                signed_on=signed_on,
                withdrawn_on=withdrawn_on,
                signatory_number=0,
                representative=representative(
                    rng,
                    organisation_type=kind,
                    size_band=size,
                    domain=domain,
                    signed_on=signed_on,
                    today=today,
                ),
            )
        )
    # Numbers follow signing order, as approvals gave them out; ties keep generation order.
    in_signing_order = sorted(range(count), key=lambda index: (drafts[index].signed_on, index))
    numbered = list(drafts)
    for number, index in enumerate(in_signing_order, start=1):
        numbered[index] = dataclasses.replace(drafts[index], signatory_number=number)
    return numbered


def accounts(
    rng: random.Random, *, organisations: Sequence[DemoOrganisation], admins: int = 3
) -> list[DemoAccount]:
    """The demo logins: one charter staff member, and an admin for each of the first
    ``admins`` active organisations (in generation order, so it does not depend on the count)."""
    staff = DemoAccount(
        email=STAFF_EMAIL,
        full_name="Charter Staff",
        is_staff=True,
        is_superuser=True,
        description="charter staff and superuser (/staff/, /admin/)",
    )
    states_staff = DemoAccount(
        email=STATES_STAFF_EMAIL,
        full_name="Charter Staff Without Raw Data",
        is_staff=True,
        description="charter staff without the raw diversity data permission: sees the "
        "data collection's states, never its figures",
    )
    active = [o for o in organisations if o.status == OrganisationStatus.ACTIVE][:admins]
    return [staff, states_staff] + [
        DemoAccount(
            email=f"admin@{organisation.website_domain}",
            full_name=person_name(rng),
            organisation_slug=organisation.slug,
            role=MemberRole.ADMIN.value,
            description=f"admin of {organisation.public_name}",
        )
        for organisation in active
    ]
