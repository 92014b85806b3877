"""Mounted under /dashboard/<slug>/ (charter/urls.py): the organisation's own benchmark."""

from django.urls import path

from reports.workspace import views

app_name = "reports_workspace"

urlpatterns = [
    path("benchmark/", views.benchmark, name="benchmark"),
    path("benchmark.pdf", views.benchmark_pdf, name="benchmark_pdf"),
]
