"""Mounted at /staff/practices/: charter staff moderate shared practices."""

from django.urls import path

from pledges import staff_views

app_name = "staff_practices"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<int:pk>/", staff_views.review, name="review"),
    path("<int:pk>/approve/", staff_views.approve, name="approve"),
    path("<int:pk>/return/", staff_views.return_view, name="return"),
    path("<int:pk>/public/", staff_views.set_public, name="public"),
]
