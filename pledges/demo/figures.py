"""Plausible diversity figures for the demo returns: pure functions of a random stream.

Each organisation gets a ``Profile`` once (its workforce and how it reports), then one set of
figures a year that drifts from it: headcount inside its size band, a tech share typical of its
sector, women in tech near 25% five years ago rising by about a point a year to near 29%
(the Tech Talent Charter's own series), ethnic minorities near 20–25%, fewer women and ethnic
minority staff in senior roles than overall. Every set passes
``pledges.returns_rules.figures_errors`` (``pledges.demo.returns`` checks it).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from pledges.returns_rules import COUNT_FIELDS, FAMILIES, LENSES, PRACTICES, SIZE_BAND_RANGES

# The largest demo organisation: "5000+" has no upper bound of its own.
LARGEST = 40_000
# The share of employees in tech roles, by sector (signatories.choices.Sector).
SECTOR_TECH_SHARE = {
    "software": 0.7,
    "telecoms": 0.4,
    "finance": 0.2,
    "professional": 0.25,
    "retail": 0.1,
    "media": 0.3,
    "health": 0.1,
    "education": 0.08,
    "public": 0.1,
    "charity": 0.07,
    "engineering": 0.15,
    "energy": 0.12,
    "transport": 0.1,
    "recruitment": 0.12,
    "other": 0.15,
}
# Women's share of tech, in percent: the series' first year, and its rise each year.
WOMEN_SHARE_START = 25.0
WOMEN_SHARE_RISE = 1.0
# Job families' share of tech, and how their women's share differs from the tech average.
FAMILY_SHARE = {
    "software": (0.45, -3),
    "data": (0.12, 4),
    "infrastructure": (0.12, -8),
    "security": (0.06, -8),
    "product_design": (0.1, 14),
    "it_support": (0.1, -2),
    "other": (0.05, 0),
}
# How often an organisation collects each optional lens.
LENS_COLLECTED = {"disabled": 0.4, "neurodivergent": 0.25, "low_socioeconomic": 0.15, "trans": 0.1}
LENS_SHARE = {
    "disabled": (0.04, 0.1),
    "neurodivergent": (0.03, 0.08),
    "low_socioeconomic": (0.1, 0.25),
    "trans": (0.005, 0.015),
}
# The headcount dates organisations tend to choose inside the window (month, day).
SNAPSHOT_DAYS = ((3, 31), (4, 5), (6, 30), (9, 30))


@dataclass(frozen=True)
class Profile:
    """How one organisation's workforce looks, and how it reports, year after year."""

    low: int
    high: int
    employees: int
    tech_share: float
    women_offset: float  # percentage points from the year's average
    minority_share: float  # percent
    ethnicity_collected: bool
    lenses: tuple[str, ...]
    families: bool
    practice_bias: float
    snapshot_day: tuple[int, int]
    retention: str


def profile(rng: random.Random, *, size_band: str, sector: str) -> Profile:
    low, high = SIZE_BAND_RANGES[size_band]
    high = high or LARGEST
    # Log-uniform inside the band: a band of 50–249 holds more organisations of 60 than of 240.
    employees = round(math.exp(rng.uniform(math.log(low), math.log(high))))
    tech_share = min(0.95, SECTOR_TECH_SHARE.get(sector, 0.15) * rng.uniform(0.7, 1.3))
    # Small teams differ widely from the average, large employers much less (a team of 5 is
    # 0% or 40% women; one of 5,000 is close to the sector's share), which also keeps the
    # national share, dominated by the large ones, near the series.
    spread = max(0.5, min(6.0, 20 / math.sqrt(max(1.0, employees * tech_share))))
    return Profile(
        low=low,
        high=high,
        employees=employees,
        tech_share=tech_share,
        women_offset=max(-10.0, min(10.0, rng.gauss(0, spread))),
        minority_share=rng.uniform(16, 24),
        ethnicity_collected=rng.random() < 0.88,
        lenses=tuple(lens for lens in LENSES if rng.random() < LENS_COLLECTED[lens]),
        families=rng.random() < 0.5,
        practice_bias=rng.uniform(-0.2, 0.2),
        snapshot_day=SNAPSHOT_DAYS[rng.randrange(len(SNAPSHOT_DAYS))],
        retention="delete" if rng.random() < 0.08 else "keep",
    )


def snapshot_date(profile: Profile, *, year: int, latest: dt.date) -> dt.date:
    """The organisation's usual headcount date that year, no later than ``latest`` (the
    window's end, or yesterday while the window is still running)."""
    month, day = profile.snapshot_day
    return min(dt.date(year, month, day), latest)


def year_figures(
    rng: random.Random,
    profile: Profile,
    *,
    years_in: int,
    snapshot: dt.date,
    outside_band: bool = False,
) -> dict:
    """The figures of the organisation's return ``years_in`` years after the series' first
    (0 to 4). ``outside_band``: a headcount just outside the profile's size band, which the
    plausibility checks warn about."""
    employees = round(profile.employees * 1.03**years_in * (1 + rng.gauss(0, 0.02)))
    employees = max(profile.low, min(profile.high, employees))
    # Only an organisation near the top of its band grows out of it ("5000+" has no top):
    # from the bottom the jump would also set off the tech headcount warning.
    if outside_band and profile.high < LARGEST and employees >= 0.8 * profile.high:
        employees = profile.high + 1 + rng.randrange(3)
    tech = max(1, min(employees, round(employees * profile.tech_share * (1 + rng.gauss(0, 0.03)))))
    share = WOMEN_SHARE_START + WOMEN_SHARE_RISE * years_in + profile.women_offset
    share = max(2.0, min(80.0, share + rng.gauss(0, 0.5))) / 100
    women = round(tech * share)
    non_binary = round(tech * rng.uniform(0, 0.02))
    undisclosed = round(tech * rng.uniform(0, 0.04))
    men = tech - women - non_binary - undisclosed
    if men < 0:  # a tiny team: what rounding gave beyond the headcount is not disclosed
        undisclosed = max(0, undisclosed + men)
        men = tech - women - non_binary - undisclosed
        if men < 0:
            non_binary, men = 0, tech - women - undisclosed
    figures = {
        "snapshot_date": snapshot,
        "total_employees": employees,
        "tech_total": tech,
        "tech_women": women,
        "tech_men": men,
        "tech_non_binary": non_binary,
        "tech_gender_undisclosed": undisclosed,
        "ethnicity_collected": profile.ethnicity_collected,
        "tech_ethnic_minority": None,
        "tech_white": None,
        "tech_ethnicity_undisclosed": None,
    }
    minority_share = (profile.minority_share + 0.4 * years_in + rng.gauss(0, 1)) / 100
    if profile.ethnicity_collected:
        minority = min(tech, round(tech * minority_share))
        not_said = min(tech - minority, round(tech * rng.uniform(0, 0.05)))
        figures.update(
            tech_ethnic_minority=minority,
            tech_white=tech - minority - not_said,
            tech_ethnicity_undisclosed=not_said,
        )
    # Senior roles: fewer women and fewer ethnic minority staff than in tech overall.
    senior = round(tech * rng.uniform(0.08, 0.15))
    figures.update(
        senior_total=senior,
        senior_women=min(senior, round(senior * max(0.0, share - rng.uniform(0.04, 0.1)))),
        senior_ethnic_minority=min(
            senior, round(senior * max(0.0, minority_share - rng.uniform(0.03, 0.08)))
        ),
    )
    for lens in LENSES:
        collected = lens in profile.lenses
        low, high = LENS_SHARE[lens]
        figures[f"{lens}_collected"] = collected
        figures[lens] = round(tech * rng.uniform(low, high)) if collected else None
    for code in FAMILIES:
        part, women_difference = FAMILY_SHARE[code]
        # Floors: the families never add up to more than the tech headcount.
        total = math.floor(tech * part) if profile.families else None
        women = None
        if total is not None:
            women = min(total, round(total * max(0.0, share + women_difference / 100)))
        figures[f"family_{code}_total"] = total
        figures[f"family_{code}_women"] = women
    # More practices in place each year, as signatories act on their pledges.
    chance = 0.3 + 0.08 * years_in + profile.practice_bias
    for practice in PRACTICES:
        figures[practice] = rng.random() < chance
    return figures


def unlike(figures: dict, previous: dict | None, profile: Profile, rng: random.Random) -> dict:
    """Most very small teams that drew exactly last year's figures gained or lost someone
    outside tech: without this, one micro organisation in three would be warned about
    identical figures every year."""
    if previous is None or rng.random() < 0.2:
        return figures
    if any(figures.get(name) != previous.get(name) for name in COUNT_FIELDS):
        return figures
    employees = figures["total_employees"]
    if employees < profile.high:
        return {**figures, "total_employees": employees + 1}
    if employees > max(profile.low, figures["tech_total"]):
        return {**figures, "total_employees": employees - 1}
    return figures


def with_slip(figures: dict) -> dict:
    """The figures as first submitted before an amendment corrected them: one man counted as
    not disclosed (still adding up, so it could be submitted)."""
    if not figures["tech_men"]:
        return figures  # nothing to slip on: the caller skips the amendment
    return {
        **figures,
        "tech_men": figures["tech_men"] - 1,
        "tech_gender_undisclosed": figures["tech_gender_undisclosed"] + 1,
    }
