"""Mounted at the site's root (charter/urls.py). No namespace: the names were global before the
audience packages existed, and templates and redirects use them as they are."""

from django.urls import path

from charter.public import views

urlpatterns = [
    path("", views.home, name="home"),
    path("charter/", views.charter_page, name="charter"),
    path("charter.pdf", views.charter_pdf, name="charter_pdf"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
