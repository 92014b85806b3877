"""Properties of disclosure control over any set of organisations (hypothesis): no published
cell rests on fewer than 3 organisations or 10 tech staff or one dominant organisation, and no
suppressed cell can be derived from its breakdown's other cells and the overall figure."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.aggregation.disclosure import GroupSums, Sample, breakdown_cells, cell

REGIONS = ("london", "scotland", "wales", "north-west", "east")

organisation = st.tuples(
    st.sampled_from(REGIONS),
    st.integers(min_value=1, max_value=400),  # tech staff
    st.floats(min_value=0, max_value=1),  # women's share
)


def sums(code: str, members: list[tuple[str, int, float]]) -> GroupSums:
    tech = sum(size for _, size, _ in members)
    largest = max(size for _, size, _ in members)
    women = sum(int(size * share) for _, size, share in members)
    return GroupSums(
        code=code,
        organisations=len(members),
        tech_total=tech,
        largest_tech_total=largest,
        tech_women=women,
        tech_non_binary=0,
        tech_gender_undisclosed=0,
        senior_total=0,
        senior_women=0,
        ethnicity=Sample(len(members), tech, largest),
        tech_ethnic_minority=0,
        senior_total_ethnicity_collected=0,
        senior_ethnic_minority=0,
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(organisation, min_size=1, max_size=40))
def test_no_published_cell_is_small_or_derivable(members):
    by_region = {}
    for member in members:
        by_region.setdefault(member[0], []).append(member)
    groups = [sums(code, group) for code, group in by_region.items()]
    cells, suppressed = breakdown_cells(groups)
    overall = cell(sums("", members))

    for group in groups:
        published = cells[group.code]
        if published is not None:
            assert group.organisations >= 3
            assert group.tech_total >= 10
            assert group.largest_tech_total * 5 <= group.tech_total * 4
            assert published["organisations"] == group.organisations
    # One hidden cell beside a published total would be the total minus the others.
    if overall is not None:
        assert suppressed != 1
    assert suppressed == sum(1 for value in cells.values() if value is None)
