"""The Celery application.

Configuration comes from Django settings (the ``CELERY_`` names in charter/settings.py, where each
reliability choice is explained). Celery's Django fix-up makes every task a ``DjangoTask``, which
adds ``delay_on_commit``: work is queued only once the transaction that asked for it commits, so a
worker never picks up a row that does not exist yet or was rolled back.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charter.settings")

app = Celery("charter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
