from django.urls import path

from signatories import api, directory_views, views

app_name = "signatories"

urlpatterns = [
    path("sign/", views.apply, name="apply"),
    path("sign/application/save/", views.application_save, name="application_save"),
    path("sign/application/submit/", views.application_submit_view, name="application_submit"),
    path("sign/applications/<int:pk>/", views.application_status, name="application_status"),
    path(
        "sign/applications/<int:pk>/withdraw/",
        views.application_withdraw_view,
        name="application_withdraw",
    ),
    path("sign/join/<slug:slug>/", views.join_request_new, name="join_request_new"),
    # The public directory and its open data (issue 4); the export before the profile's slug.
    path("signatories/", directory_views.directory, name="directory"),
    path("signatories/export.csv", directory_views.export_csv, name="export_csv"),
    path("signatories/<slug:slug>/", views.profile, name="profile"),
    path("api/", api.documentation, name="api"),
    path("api/signatories/", api.signatories_list, name="api_signatories"),
    path("api/schema/", api.schema, name="api_schema"),
]
