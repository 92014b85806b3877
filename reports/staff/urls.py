"""Mounted at /staff/reports/: charter staff generate, preview and publish each year's
benchmarking report, and publish corrections."""

from django.urls import path

from reports.staff import views

app_name = "reports_staff"

urlpatterns = [
    path("", views.reports, name="reports"),
    path("<int:year>/", views.report, name="report"),
    path("<int:year>/generate/", views.report_generate, name="generate"),
    path("<int:year>/texts/", views.report_texts, name="texts"),
    path("<int:year>/publish/", views.report_publish, name="publish"),
    path("<int:year>/preview/", views.report_preview, name="preview"),
    path("<int:year>/preview.pdf", views.report_preview_pdf, name="preview_pdf"),
]
