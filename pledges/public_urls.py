"""Mounted at /practices/: practices charter staff made public."""

from django.urls import path

from pledges import staff_views

app_name = "practices"

urlpatterns = [
    path("", staff_views.public_list, name="list"),
    path("<int:pk>/", staff_views.public_detail, name="detail"),
]
