import datetime as dt, time
import pytest
from tests.pledges.test_import_submissions import write_csv
from pledges.services.submissions_import import submissions_import_plan, submissions_import_apply

pytestmark = pytest.mark.django_db


def test_prof(tmp_path):
    from signatories.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Org {n} Ltd",
            public_name=f"Org {n}",
            slug=f"org-{n}",
            website="https://x.example",
            website_domain="x.example",
            organisation_type="employer",
            sector="software",
            size_band="50-249",
            region="london",
            signatory_number=n,
            signed_on=dt.date(2020, 1, 1),
        )
        for n in range(1, 10001)
    )
    rows = [
        f"{n},{year},{year}-04-05,120,40,10,28,1,1,9,29,2,6,2,1"
        for year in (2021, 2022, 2023, 2024, 2025)
        for n in range(1, 10001)
    ]
    p = write_csv(tmp_path, *rows)
    c = p.read_bytes()
    t = time.perf_counter()
    plan = submissions_import_plan(c)
    print("PLAN", time.perf_counter() - t, plan.summary())
    t = time.perf_counter()
    plan = submissions_import_apply(c)
    print("APPLY", time.perf_counter() - t)
    rows = [r.replace(",120,", ",121,", 1) for r in rows]
    c = write_csv(tmp_path, *rows).read_bytes()
    t = time.perf_counter()
    plan = submissions_import_apply(c)
    print("APPLY REVISE", time.perf_counter() - t, plan.summary())
