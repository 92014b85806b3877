from django.urls import path

from signatories.staff.views import applications, imports, organisation_status, organisations

app_name = "staff"

urlpatterns = [
    path("", applications.workspace, name="workspace"),
    path("applications/", applications.queue, name="queue"),
    path("applications/<int:pk>/", applications.review, name="review"),
    path("applications/<int:pk>/approve/", applications.approve, name="approve"),
    path(
        "applications/<int:pk>/request-changes/",
        applications.request_changes,
        name="request_changes",
    ),
    path("applications/<int:pk>/reject/", applications.reject, name="reject"),
    path("applications/<int:pk>/comment/", applications.comment, name="comment"),
    path("organisations/", organisations.organisations, name="organisations"),
    path("organisations/<int:pk>/suspend/", organisation_status.suspend, name="suspend"),
    path("organisations/<int:pk>/reinstate/", organisation_status.reinstate, name="reinstate"),
    path("organisations/import/", imports.import_signatories, name="import_signatories"),
]
