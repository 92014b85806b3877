"""Mounted at /staff/data/: charter staff run the yearly data collection (pledge 5).

Each room's views live in their own module of pledges/staff/views/: cycles (create, open,
extend, close, progress, exemptions, reopen, grace), outliers (the queue of returns with
warnings), compliance (per organisation, suspension), imports (CSV uploads), access (the raw
data access log).
"""

from django.urls import path  # noqa: F401  (the rooms below add their paths)

app_name = "staff_data"

urlpatterns: list = [
    # cycles
    # outliers
    # compliance
    # imports and exports
    # raw data access log
]
