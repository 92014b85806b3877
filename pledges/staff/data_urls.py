"""Mounted at /staff/data/: charter staff run the yearly data collection (pledge 5).

Each room's views live in their own module of pledges/staff/views/: cycles (create, open,
extend, close, progress, exemptions, reopen, grace), outliers (the queue of returns with
warnings), compliance (per organisation, suspension), imports (CSV uploads), access (the raw
data access log).
"""

from django.urls import path

from pledges.staff.views import compliance, outliers

app_name = "staff_data"

urlpatterns: list = [
    # cycles
    # outliers
    path("outliers/", outliers.outliers, name="outliers"),
    path("returns/<int:pk>/", outliers.return_detail, name="return"),
    path("returns/<int:pk>/accept/", outliers.accept, name="return_accept"),
    path("returns/<int:pk>/query/", outliers.query, name="return_query"),
    path("returns/<int:pk>/exclude/", outliers.exclude, name="return_exclude"),
    path("returns/<int:pk>/include/", outliers.include, name="return_include"),
    # compliance
    path("compliance/", compliance.compliance, name="compliance"),
    path("compliance/<int:pk>/suspend/", compliance.suspend, name="compliance_suspend"),
    path(
        "compliance/<int:pk>/another-chance/",
        compliance.another_chance,
        name="compliance_another_chance",
    ),
    # imports and exports
    # raw data access log
]
