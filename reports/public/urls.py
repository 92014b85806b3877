"""Mounted at /reports/ (charter/urls.py)."""

from django.urls import path

from reports.public import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:year>/", views.report_page, name="report"),
    path("<int:year>.pdf", views.report_pdf, name="report_pdf"),
    path("<int:year>/versions/<int:version>/", views.version_page, name="version"),
    path("<int:year>/versions/<int:version>.pdf", views.version_pdf, name="version_pdf"),
]
