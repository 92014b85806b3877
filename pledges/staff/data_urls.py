"""Mounted at /staff/data/: charter staff run the yearly data collection (pledge 5).

Each room's views live in their own module of pledges/staff/views/: cycles (create, open,
extend, close, progress, exemptions, reopen, grace), outliers (the queue of returns with
warnings), compliance (per organisation, suspension), imports (CSV uploads), access (the raw
data access log).
"""

from django.urls import path

from pledges.staff.views import access, compliance, imports, outliers
from pledges.staff.views import cycles as cycle_views

app_name = "staff_data"

urlpatterns: list = [
    # cycles
    path("", cycle_views.cycles, name="cycles"),
    path("new/", cycle_views.cycle_new, name="cycle_new"),
    path("<int:year>/", cycle_views.cycle, name="cycle"),
    path("<int:year>/edit/", cycle_views.cycle_edit, name="cycle_edit"),
    path("<int:year>/open/", cycle_views.cycle_open, name="cycle_open"),
    path("<int:year>/extend/", cycle_views.cycle_extend, name="cycle_extend"),
    path("<int:year>/close/", cycle_views.cycle_close, name="cycle_close"),
    path("<int:year>/exemptions/", cycle_views.cycle_exempt, name="cycle_exempt"),
    path(
        "<int:year>/exemptions/<int:pk>/remove/",
        cycle_views.cycle_exemption_remove,
        name="cycle_exemption_remove",
    ),
    path("<int:year>/reopen/", cycle_views.return_reopen, name="return_reopen"),
    path("<int:year>/grace/<int:pk>/grant/", cycle_views.grace_grant, name="grace_grant"),
    path("<int:year>/grace/<int:pk>/refuse/", cycle_views.grace_refuse, name="grace_refuse"),
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
    path("import/", imports.import_submissions, name="import_submissions"),
    path("<int:year>/export.csv", imports.export_submissions, name="export_submissions"),
    # raw data access log
    path("access-log/", access.access_log, name="access_log"),
]
