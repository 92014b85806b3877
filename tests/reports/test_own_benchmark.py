"""Each signatory's own benchmark (/dashboard/<slug>/benchmark/ and its one-page PDF): its own
figures beside all signatories and its peers from the frozen cells, its place against the
quartiles, its change since its previous return, and nothing of any other organisation."""

from __future__ import annotations

import io
import re
import statistics
import subprocess
from fractions import Fraction

import pytest
from pypdf import PdfReader

from pledges.models import DataReturn
from reports.benchmark import (
    ABOVE_UPPER,
    BELOW_LOWER,
    LOWER_TO_MEDIAN,
    MEDIAN_TO_UPPER,
    own_benchmark,
    quartile_position,
)
from signatories.models import Membership
from tests.conftest import make_cycle, make_user
from tests.reports.benchmark_world import OTHER_WOMEN_2025, build_world, publish, submit

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/acme-analytics/benchmark/"
PDF = "/dashboard/acme-analytics/benchmark.pdf"


@pytest.fixture
def world(acme_workspace):
    built = build_world(acme_workspace)
    built["2024"] = publish(built["cycles"][2024])
    built["2025"] = publish(built["cycles"][2025])
    return built


def whole_percent(value: float) -> int:
    return int(Fraction(value) * 100 + Fraction(1, 2))


def expected_quartiles(shares: list[Fraction]) -> list[int]:
    return [whole_percent(q) for q in statistics.quantiles(shares, n=4, method="inclusive")]


def text(html: str) -> str:
    return " ".join(html.split())


@pytest.mark.parametrize(
    ("share", "position"),
    [
        (19.9, BELOW_LOWER),
        (20, LOWER_TO_MEDIAN),
        (24.9, LOWER_TO_MEDIAN),
        (25, MEDIAN_TO_UPPER),
        (31, MEDIAN_TO_UPPER),
        (Fraction(3101, 100), ABOVE_UPPER),
    ],
)
def test_it_places_a_share_against_the_quartiles(share, position):
    assert quartile_position(share, [20, 25, 31]) == position


def test_it_compares_the_organisation_with_all_signatories_and_its_peers(world, acme):
    [latest, earlier] = own_benchmark(organisation=acme)

    assert (latest.year, earlier.year) == (2025, 2024)
    assert latest.own.women_pct == 30.0  # 15 of 50
    assert latest.previous.year == 2024
    assert latest.rows[0].change == 5.0  # 25% in 2024
    assert latest.tech_total_change == 10
    assert earlier.previous is None
    everyone, sector, size, region = latest.comparisons
    cells = world["2025"].cells
    assert everyone.cell == cells["overall"]
    assert sector.cell == cells["breakdowns"]["sector"]["software"]
    assert not sector.fell_back
    assert region.cell == cells["breakdowns"]["region"]["london"]
    # Six organisations in 50–249: fewer than ten, so all signatories instead.
    assert size.fell_back
    assert size.cell == cells["overall"]
    assert "only 6 organisations reported" in size.reason
    # The software group: Acme's 30% against the eleven peers' 15%–40% and its own.
    software_shares = [Fraction(women, 40) for women in OTHER_WOMEN_2025] + [Fraction(15, 50)]
    assert sector.quartiles == expected_quartiles(software_shares)
    assert sector.position == quartile_position(Fraction(30), sector.quartiles)


def test_a_suppressed_peer_group_falls_back_to_all_signatories(acme_workspace):
    built = build_world(acme_workspace)
    # Acme moves to Wales before the report: Wales then holds two organisations, suppressed.
    acme_workspace.region = "wales"
    acme_workspace.save(update_fields=["region"])
    report = publish(built["cycles"][2025])
    assert report.cells["breakdowns"]["region"]["wales"] is None

    [year] = own_benchmark(organisation=acme_workspace)

    region = year.comparisons[3]
    assert region.fell_back
    assert region.cell == report.cells["overall"]
    assert "suppressed" in region.reason


def test_a_peer_group_the_report_does_not_have_falls_back_too(world, acme):
    # Acme moved to the North East after the report was published.
    acme.region = "north-east"
    acme.save(update_fields=["region"])

    [latest, _] = own_benchmark(organisation=acme)

    region = latest.comparisons[3]
    assert region.fell_back
    assert region.cell == world["2025"].cells["overall"]
    assert region.reason.startswith("the report has no figures for this group")


def test_the_page_shows_the_figures_the_fallbacks_and_the_quartile_positions(
    client, alice, world, django_assert_max_num_queries
):
    client.force_login(alice)

    with django_assert_max_num_queries(7):
        response = client.get(PAGE)

    assert response.status_code == 200
    page = text(response.content.decode())
    assert "<h1>Your benchmark</h1>" in page
    assert '<h2 id="year-2025">2025</h2>' in page
    assert '<h2 id="year-2024">2024</h2>' in page
    assert "Your counted return for 2025 covers 50 tech staff (+10 since your 2024 return)" in page
    overall = world["2025"].cells["overall"]
    assert f"<td>30.0%</td> <td>+5.0 points</td> <td>{overall['women_pct']:.1f}%</td>" in page
    assert "Same size (50–249 employees): only 6 organisations reported, fewer than 10" in page
    sector = world["2025"].cells["breakdowns"]["sector"]["software"]
    lower, median, upper = sector["women_pct_quartiles"]
    position = quartile_position(Fraction(30), sector["women_pct_quartiles"])
    label = {
        BELOW_LOWER: "below the lower quartile",
        LOWER_TO_MEDIAN: "between the lower quartile and the median",
        MEDIAN_TO_UPPER: "between the median and the upper quartile",
        ABOVE_UPPER: "above the upper quartile",
    }[position]
    assert (
        f"Same sector (Software and IT services): your 30.0% is <strong>{label}</strong> "
        f"(lower quartile {lower}%, median {median}%, upper quartile {upper}%)"
    ) in page
    assert 'href="/dashboard/acme-analytics/benchmark.pdf"' in page


def test_the_query_count_does_not_grow_with_the_years(
    client, alice, world, django_assert_max_num_queries
):
    for year in range(2019, 2024):
        publish(make_cycle(year, status="published"))
    client.force_login(alice)

    with django_assert_max_num_queries(7):
        assert client.get(PAGE).status_code == 200


def test_it_shows_no_other_organisations_figures(client, alice, globex, world):
    # Globex reports a share that no published group has: 23 of 40 is 57.5%.
    submit(world["cycles"][2025], globex, tech_women=23)
    publish(world["cycles"][2025], version=2, correction_note="A late return was added.")
    client.force_login(alice)

    page = client.get(PAGE).content.decode()

    assert "57.5%" not in page
    assert "Globex" not in page
    for peer in world["others"]:
        assert peer.public_name not in page


def test_a_year_without_a_return_of_its_own_still_shows_the_published_figures(
    client, alice, world, acme
):
    DataReturn.objects.filter(organisation=acme, cycle__year=2025).update(excluded_from_report=True)
    client.force_login(alice)

    page = text(client.get(PAGE).content.decode())

    assert "Your organisation has no counted return for 2025" in page
    assert "Without a counted return for 2025 there is no position to show." in page


def test_before_any_publication_it_says_so_and_has_no_pdf(client, alice, acme_workspace):
    client.force_login(alice)

    page = client.get(PAGE).content.decode()

    assert "No benchmarking report has been published yet." in page
    assert "benchmark.pdf" not in page
    assert client.get(PDF).status_code == 404


def test_the_dashboard_links_to_the_benchmark(client, alice, acme_workspace):
    client.force_login(alice)

    page = client.get("/dashboard/acme-analytics/").content.decode()

    assert f'href="{PAGE}"' in page


# --- Who may see it ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [PAGE, PDF])
@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("bob", 200), ("charlie", 404), ("staff_user", 404), ("anonymous", 302)],
)
def test_only_members_see_their_benchmark(client, world, request, path, who, status):
    request.getfixturevalue("globex")  # charlie belongs to another organisation
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.get(path)

    assert response.status_code == status
    if who == "anonymous":
        assert response.url == f"/accounts/login/?next={path}"


def test_a_withdrawn_organisations_member_gets_404(client, world, acme, alice):
    acme.status = "withdrawn"
    acme.save(update_fields=["status"])
    client.force_login(alice)

    assert client.get(PAGE).status_code == 404


def test_a_member_of_two_organisations_sees_each_ones_own(client, world, acme, globex):
    consultant = make_user("carla@consult.example")
    Membership.objects.create(organisation=acme, user=consultant, role="editor")
    Membership.objects.create(organisation=globex, user=consultant, role="admin")
    client.force_login(consultant)

    page = text(client.get("/dashboard/globex/benchmark/").content.decode())

    assert "Your organisation has no counted return for 2025" in page
    assert "Same sector (Financial services)" in page


# --- The PDF -------------------------------------------------------------------------------------


def test_the_pdf_is_one_page_with_the_latest_year(client, alice, world):
    client.force_login(alice)

    response = client.get(PDF)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="benchmark-acme-analytics-2025.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Acme Analytics: 2025 benchmark"


def test_the_pdf_text_holds_the_comparison(client, alice, world, tmp_path):
    client.force_login(alice)
    path = tmp_path / "benchmark.pdf"
    path.write_bytes(client.get(PDF).content)

    pdf_text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)

    assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE)
    assert "Acme Analytics: 2025 benchmark" in pdf_text
    assert "Women in tech roles" in pdf_text
    assert "30.0%" in pdf_text
    assert "+5.0 points" in pdf_text
    assert "only 6 organisations reported, fewer than 10" in pdf_text


def test_the_pdf_stays_on_one_page_with_every_note_at_its_longest(client, alice, acme_workspace):
    built = build_world(acme_workspace)
    # All three peer groups fall back (a sector and a region the report does not have, a size
    # band of six), and the correction note is as long as staff may write.
    publish(built["cycles"][2025], correction_note="A long correction. " * 105)
    acme_workspace.sector = "energy"
    acme_workspace.region = "north-east"
    acme_workspace.save(update_fields=["sector", "region"])
    client.force_login(alice)

    [year] = own_benchmark(organisation=acme_workspace)
    assert all(comparison.fell_back for comparison in year.comparisons[1:])
    pdf = client.get(PDF).content

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
