"""Mounted at /staff/data/: charter staff run the yearly data collection (pledge 5).

Each room's views live in their own module of pledges/staff/views/: cycles (create, open,
extend, close, progress, exemptions, reopen, grace), outliers (the queue of returns with
warnings), compliance (per organisation, suspension), imports (CSV uploads), access (the raw
data access log).
"""

from django.urls import path

from pledges.staff.views import imports

app_name = "staff_data"

urlpatterns: list = [
    # cycles
    # outliers
    # compliance
    # imports and exports
    path("import/", imports.import_submissions, name="import_submissions"),
    path("<int:year>/export.csv", imports.export_submissions, name="export_submissions"),
    # raw data access log
]
