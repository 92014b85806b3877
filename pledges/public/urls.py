"""Mounted at /practices/: practices charter staff made public."""

from django.urls import path

from pledges.public import views

app_name = "practices"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
