"""The returns upload in a real Chromium, without JavaScript of its own: a file with a mistake
shows every error and writes nothing, the fixed file shows a preview, the confirm writes it;
axe-core on each state of the page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Page, expect

from pledges.models import DataReturn
from tests.conftest import PASSWORD, authenticator_code, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER = (
    "signatory_number,year,snapshot_date,total_employees,tech_total,tech_women,tech_men,"
    "tech_non_binary,tech_gender_undisclosed,tech_ethnic_minority,tech_white,"
    "tech_ethnicity_undisclosed,senior_total,senior_women,senior_ethnic_minority"
)


def test_staff_fix_a_file_preview_it_and_confirm(
    page: Page, live_server, staff_user, axe, tmp_path
):
    make_organisation("Acme Analytics", number=1)
    staff_user.user_permissions.add(Permission.objects.get(codename="view_raw_figures"))
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n1,2025,2025-04-05,120,40,10,20,1,1,9,29,2,6,2,1\n")
    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\n1,2025,2025-04-05,120,40,10,28,1,1,9,29,2,6,2,1\n")

    page.goto(live_server.url + "/accounts/login/?next=/staff/data/import/")
    page.locator('input[name="login"]').fill(staff_user.email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator('input[name="code"]').fill(authenticator_code())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import data returns")
    axe(page)

    page.get_by_label("CSV file of data returns").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("1 error in bad.csv")
    expect(page.get_by_role("table", name="Errors in bad.csv")).to_contain_text("tech_women")
    axe(page)
    assert not DataReturn.objects.exists()

    page.get_by_label("CSV file of data returns").set_input_files(good)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 new return,")
    axe(page)
    assert not DataReturn.objects.exists()

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("Returns imported: 1 return created")).to_be_visible()
    axe(page)
    assert DataReturn.objects.get().status == "submitted"
    expect(page.get_by_role("link", name="Download the 2025 returns (CSV)")).to_be_visible()
