"""Mounted at /staff/data/: charter staff run the yearly data collection (pledge 5).

Each room's views live in their own module of pledges/staff/views/: cycles (create, open,
extend, close, progress, exemptions, reopen, grace, reminder schedule), outliers (the queue of
returns with warnings), compliance (per organisation, suspension), imports (CSV uploads), access
(the raw data access log), reminders (the delivery log, each organisation's reminders, the
30-day forecast of a cycle, the email previews).
"""

from django.urls import path

from pledges.staff.views import access, compliance, imports, outliers, reminder_previews
from pledges.staff.views import cycles as cycle_views
from pledges.staff.views import reminders as reminder_views

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
    path(
        "<int:year>/reminders/schedule/",
        cycle_views.cycle_reminder_schedule,
        name="cycle_reminder_schedule",
    ),
    path("<int:year>/reminders/", reminder_previews.cycle_forecast, name="cycle_forecast"),
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
    # reminders
    path("reminders/", reminder_views.delivery_log, name="reminders"),
    path("reminders/<int:pk>/retry/", reminder_views.reminder_retry, name="reminder_retry"),
    path("reminders/previews/", reminder_previews.previews, name="reminder_previews"),
    path(
        "reminders/previews/<int:number>/email.html",
        reminder_previews.preview_html,
        name="reminder_preview_html",
    ),
    path(
        "organisations/<slug:slug>/reminders/",
        reminder_views.organisation_reminders,
        name="organisation_reminders",
    ),
    path(
        "organisations/<slug:slug>/reminders/pause/",
        reminder_views.organisation_reminders_pause,
        name="organisation_reminders_pause",
    ),
    path(
        "organisations/<slug:slug>/reminders/resume/",
        reminder_views.organisation_reminders_resume,
        name="organisation_reminders_resume",
    ),
]
