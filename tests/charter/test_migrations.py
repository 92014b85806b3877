"""The models and the migrations agree: a model change without its migration fails here, not on
a deploy (and a model whose state changes between processes, such as a set turned into a list,
would show up as a new migration every time)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits 1 when a migration is missing
        pytest.fail(
            f"makemigrations would write a migration (exit {exit_.code}):\n{out.getvalue()}"
        )
