"""Mounted at /reports/ (charter/urls.py) before the report pages: a year's cells as CSV."""

from django.urls import path

from reports.public import csv

app_name = "reports_data"

urlpatterns = [
    path("<int:year>/benchmarks.csv", csv.benchmarks_csv, name="benchmarks_csv"),
]
