"""The staff pages of the returns import (preview, confirm) and the year's export download."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.models import CycleEvent, DataReturn, RawDataAccess, ReturnRevision
from tests.conftest import make_cycle, make_organisation
from tests.pledges.test_import_submissions import (
    ACME_2025,
    GLOBEX_2025,
    HEADER,
    LENS_HEADER,
    run,
    write_csv,
)

pytestmark = pytest.mark.django_db

URL = "/staff/data/import/"


def upload(text: str, name: str = "returns.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def orgs(db):
    return (
        make_organisation("Acme Analytics", number=1),
        make_organisation("Globex", number=2),
    )


@pytest.fixture
def raw_staff(staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_raw_figures"))
    return staff_user


def confirm_data(preview) -> dict:
    confirm = preview.context["confirm"]
    return {"confirm": "1", **{name: confirm.initial[name] for name in ("digest", "fingerprint")}}


def test_only_staff_reach_the_upload_page(client, alice, orgs):
    assert client.get(URL).status_code == 302  # to log in
    client.force_login(alice)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(f"{HEADER}\n{ACME_2025}\n")}).status_code == 403
    assert not DataReturn.objects.exists()


def test_the_staff_nav_links_to_the_page(client, staff_user):
    client.force_login(staff_user)
    assert URL in client.get("/staff/organisations/").content.decode()


def test_preview_writes_nothing_then_confirm_writes_as_the_staff_member(client, raw_staff, orgs):
    client.force_login(raw_staff)

    preview = client.post(URL, {"file": upload(f"{HEADER}\n{ACME_2025}\n{GLOBEX_2025}\n")})

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2 new returns, 0 new revisions, 0 unchanged" in page
    assert "a closed cycle with the default dates will be created for 2025" in page
    assert "Globex" in page
    assert not DataReturn.objects.exists()

    response = client.post(URL, confirm_data(preview), follow=True)

    assert "Returns imported: 2 returns created" in response.content.decode()
    assert DataReturn.objects.filter(status="submitted", submitted_by=raw_staff).count() == 2
    assert set(ReturnRevision.objects.values_list("submitted_by", "source")) == {
        (raw_staff.pk, "import")
    }
    imported = CycleEvent.objects.get(kind="imported")
    assert (imported.by, imported.details["created"]) == (raw_staff, 2)


def test_the_preview_names_the_changed_figures_but_shows_no_figures(client, raw_staff, orgs):
    client.force_login(raw_staff)
    first = client.post(URL, {"file": upload(f"{HEADER}\n{ACME_2025}\n")})
    client.post(URL, confirm_data(first))

    changed = ACME_2025.replace(",120,", ",987,", 1)
    preview = client.post(URL, {"file": upload(f"{HEADER}\n{changed}\n")})

    page = preview.content.decode()
    assert "Revision 2: Total employees changed" in page
    assert "987" not in page and "120" not in page


def test_confirm_refuses_when_the_returns_changed_since_the_preview(client, raw_staff, orgs):
    client.force_login(raw_staff)
    preview = client.post(URL, {"file": upload(f"{HEADER}\n{ACME_2025}\n")})
    # Meanwhile the same return is imported another way: the preview's "new" is no longer true.
    other = client.post(URL, {"file": upload(f"{HEADER}\n{ACME_2025}\n", name="b.csv")})
    client.post(URL, confirm_data(other))

    response = client.post(URL, confirm_data(preview), follow=True)

    assert "upload the file again" in response.content.decode()
    assert ReturnRevision.objects.count() == 1


def test_confirm_refuses_a_digest_that_was_not_previewed(client, raw_staff, orgs):
    client.force_login(raw_staff)
    client.post(URL, {"file": upload(f"{HEADER}\n{ACME_2025}\n")})

    response = client.post(
        URL, {"confirm": "1", "digest": "0" * 64, "fingerprint": "0" * 64}, follow=True
    )

    assert "upload the file again" in response.content.decode()
    assert not DataReturn.objects.exists()


def test_errors_are_shown_with_row_and_column_and_no_confirm_button(client, raw_staff, orgs):
    client.force_login(raw_staff)
    bad = "2,2025,2025-04-05,120,40,10,20,1,1,9,29,2,6,2,1"

    response = client.post(URL, {"file": upload(f"{HEADER}\n{ACME_2025}\n{bad}\n")})

    page = response.content.decode()
    assert response.status_code == 400
    assert "<td>3</td><td>tech_women</td>" in page
    assert "Confirm import" not in page
    assert not DataReturn.objects.exists()


def test_a_missing_file_is_an_error_next_to_the_field(client, raw_staff):
    client.force_login(raw_staff)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Choose a CSV file to upload." in response.content.decode()


def test_the_preview_costs_a_fixed_number_of_queries(client, raw_staff):
    client.force_login(raw_staff)
    client.get(URL)

    def preview_queries(count: int) -> int:
        for n in range(1, count + 1):
            make_organisation(f"Org {count}-{n}", number=count * 100 + n)
        rows = [
            f"{count * 100 + n},{year},{year}-04-05,120,40,10,28,1,1,9,29,2,6,2,1"
            for n in range(1, count + 1)
            for year in (2024, 2025)
        ]
        with CaptureQueriesContext(connection) as queries:
            response = client.post(URL, {"file": upload("\n".join([HEADER, *rows]))})
        assert response.status_code == 200
        return len(queries)

    assert preview_queries(2) == preview_queries(30)


# ---- the download ------------------------------------------------------------------------------


def import_2025(tmp_path) -> None:
    run(write_csv(tmp_path, ACME_2025, GLOBEX_2025))


def test_the_download_needs_the_raw_figures_permission(client, staff_user, alice, orgs, tmp_path):
    import_2025(tmp_path)
    url = "/staff/data/2025/export.csv"
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(staff_user)

    response = client.get(url)

    assert response.status_code == 403
    assert not RawDataAccess.objects.exists()
    assert not CycleEvent.objects.filter(kind="exported").exists()


def test_the_download_is_logged_and_recorded_on_the_cycle(client, raw_staff, orgs, tmp_path):
    import_2025(tmp_path)
    client.force_login(raw_staff)

    response = client.get("/staff/data/2025/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "charter-returns-2025.csv" in response["Content-Disposition"]
    assert response.content.decode().splitlines() == [
        LENS_HEADER,
        ACME_2025 + ",,,,",
        GLOBEX_2025 + ",,,,",
    ]
    access = RawDataAccess.objects.get()
    assert (access.user, access.kind, access.cycle.year, access.path) == (
        raw_staff,
        "download_export",
        2025,
        "/staff/data/2025/export.csv",
    )
    event = CycleEvent.objects.get(kind="exported")
    assert (event.by, event.details) == (raw_staff, {"returns": 2})


def test_a_year_without_a_cycle_is_not_found(client, raw_staff):
    client.force_login(raw_staff)
    assert client.get("/staff/data/2019/export.csv").status_code == 404
    assert not RawDataAccess.objects.exists()


def test_the_download_link_is_shown_only_with_the_permission(client, staff_user):
    make_cycle(2026)
    client.force_login(staff_user)
    assert "/staff/data/2026/export.csv" not in client.get(URL).content.decode()

    staff_user.user_permissions.add(Permission.objects.get(codename="view_raw_figures"))
    assert "/staff/data/2026/export.csv" in client.get(URL).content.decode()


def test_staff_without_the_raw_figures_permission_cannot_import(client, staff_user, orgs):
    """The file is raw diversity data, and its errors quote its figures."""
    client.force_login(staff_user)
    page = client.get("/staff/data/import/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="import-needs-permission"' in html
    assert 'enctype="multipart/form-data"' not in html
    refused = client.post(URL, {"file": upload(f"{HEADER}\n{ACME_2025}\n")})
    assert refused.status_code == 403
    assert not DataReturn.objects.exists()
