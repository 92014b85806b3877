"""What the workspace's pages share: rendering with the workspace's context, and the
organisation's current representative."""

from __future__ import annotations

from django.shortcuts import render

from signatories.models import Representative


def _render(request, template: str, workspace, context: dict, *, status: int = 200):
    return render(
        request,
        template,
        {
            **workspace.context(),
            **context,
        },
        status=status,
    )


def _current_representative(organisation) -> Representative | None:
    return (
        Representative.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("named_by")
        .first()
    )
