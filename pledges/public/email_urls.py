"""Mounted at /emails/ (charter/urls.py): the one-click unsubscribe link of the optional emails.

No namespace: ``pledges.services.reminders.preferences.unsubscribe_url`` reverses
``email_unsubscribe``, and the links already in people's mailboxes must keep working.
"""

from django.urls import path

from pledges.public import email_views

urlpatterns = [
    path("unsubscribe/<str:token>/", email_views.email_unsubscribe, name="email_unsubscribe"),
]
