"""Mounted at /api/benchmarks/ (charter/urls.py): the benchmark cells as JSON."""

from django.urls import path

from reports.public import api

app_name = "reports_api"

urlpatterns = [
    path("", api.benchmarks_list, name="list"),
    path("<int:year>/", api.benchmarks_year, name="year"),
]
