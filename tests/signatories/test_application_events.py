"""Application events are the record of who did what: added, never edited or deleted."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from signatories.models import ApplicationEvent
from tests.conftest import make_user


def test_the_database_refuses_to_edit_an_event(require_postgres, submitted_application):
    event = submitted_application.events.get()
    event.message = "Rewritten history"

    with pytest.raises(IntegrityError, match="never edited or deleted"), transaction.atomic():
        event.save()
    with pytest.raises(IntegrityError, match="UPDATE refused"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).update(message="Rewritten history")

    event.refresh_from_db()
    assert event.message == ""


def test_the_database_refuses_to_delete_an_event(require_postgres, submitted_application):
    event = submitted_application.events.get()

    with pytest.raises(IntegrityError, match="DELETE refused"), transaction.atomic():
        event.delete()
    with pytest.raises(IntegrityError, match="DELETE refused"), transaction.atomic():
        ApplicationEvent.objects.all().delete()

    assert ApplicationEvent.objects.filter(pk=event.pk).exists()


def test_new_events_are_still_added(require_postgres, submitted_application, staff_user):
    from signatories.services.applications import application_comment

    application_comment(application=submitted_application, by=staff_user, message="Checked.")

    assert submitted_application.events.count() == 2


def test_the_admin_cannot_add_change_or_delete_events(submitted_application):
    superuser = make_user("root@charter.example", is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    event = submitted_application.events.get()
    event_admin = admin.site._registry[ApplicationEvent]

    assert event_admin.has_view_permission(request, event) is True
    assert event_admin.has_add_permission(request) is False
    assert event_admin.has_change_permission(request, event) is False
    assert event_admin.has_delete_permission(request, event) is False


def test_the_admin_pages_refuse_to_change_or_delete_an_event(client, submitted_application):
    client.force_login(make_user("root@charter.example", is_superuser=True, is_staff=True))
    event = submitted_application.events.get()
    base = f"/admin/signatories/applicationevent/{event.pk}"

    changed = client.post(f"{base}/change/", {"message": "Rewritten history"})
    deleted = client.post(f"{base}/delete/", {"post": "yes"})
    bulk_deleted = client.post(
        "/admin/signatories/applicationevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )

    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert bulk_deleted.status_code in (200, 302)
    event.refresh_from_db()
    assert event.message == ""
    assert ApplicationEvent.objects.filter(pk=event.pk).exists()
