from django.urls import path

from signatories import staff_organisations, staff_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.workspace, name="workspace"),
    path("applications/", staff_views.queue, name="queue"),
    path("applications/<int:pk>/", staff_views.review, name="review"),
    path("applications/<int:pk>/approve/", staff_views.approve, name="approve"),
    path(
        "applications/<int:pk>/request-changes/",
        staff_views.request_changes,
        name="request_changes",
    ),
    path("applications/<int:pk>/reject/", staff_views.reject, name="reject"),
    path("applications/<int:pk>/comment/", staff_views.comment, name="comment"),
    path("organisations/", staff_organisations.organisations, name="organisations"),
]
