from django.urls import path

from signatories.public.views import api, directory, profiles, signing

app_name = "signatories"

urlpatterns = [
    path("sign/", signing.apply, name="apply"),
    path("sign/application/save/", signing.application_save, name="application_save"),
    path("sign/application/submit/", signing.application_submit_view, name="application_submit"),
    path("sign/applications/<int:pk>/", signing.application_status, name="application_status"),
    path(
        "sign/applications/<int:pk>/withdraw/",
        signing.application_withdraw_view,
        name="application_withdraw",
    ),
    path("sign/join/<slug:slug>/", signing.join_request_new, name="join_request_new"),
    # The public directory and its open data; the export before the profile's slug, which would
    # otherwise take "export.csv" for a slug.
    path("signatories/", directory.directory, name="directory"),
    path("signatories/export.csv", directory.export_csv, name="export_csv"),
    path("signatories/<slug:slug>/", profiles.profile, name="profile"),
    path("api/", api.documentation, name="api"),
    path("api/signatories/", api.signatories_list, name="api_signatories"),
    path("api/schema/", api.schema, name="api_schema"),
]
