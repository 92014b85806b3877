"""Mounted at /staff/practices/: charter staff moderate shared practices."""

from django.urls import path

from pledges.staff.views import practices as views

app_name = "staff_practices"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_view, name="return"),
    path("<int:pk>/public/", views.set_public, name="public"),
]
