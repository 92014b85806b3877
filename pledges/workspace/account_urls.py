"""Mounted at /accounts/ in charter/urls.py, before allauth's own pages: the signed-in person's
email preferences (pledges' reminders), shown with allauth's account pages."""

from django.urls import path

from pledges.workspace.views import emails

urlpatterns = [
    path("email-preferences/", emails.email_preferences, name="email_preferences"),
]
