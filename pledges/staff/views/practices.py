"""Charter staff moderate shared practices (``/staff/practices/``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from charter.permissions import staff_required
from pledges.models import Practice, PracticeStatus
from pledges.services.commitments import practice_approve, practice_return, practice_set_public
from pledges.staff.forms import PracticeReturnForm
from signatories.services import ServiceError


@require_safe
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    waiting = Practice.objects.filter(status=PracticeStatus.SUBMITTED).select_related(
        "organisation"
    )
    published = Practice.objects.filter(status=PracticeStatus.PUBLISHED).select_related(
        "organisation"
    )[:50]
    return render(
        request,
        "pledges/staff/queue.html",
        {"waiting": waiting.order_by("submitted_at"), "published": published},
    )


@require_safe
@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice.objects.select_related("organisation"), pk=pk)
    return render(
        request, "pledges/staff/review.html", {"practice": practice, "form": PracticeReturnForm()}
    )


@require_POST
@staff_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice, pk=pk)
    try:
        practice_approve(practice=practice, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{practice.title}” is published in the library.")
    return redirect("staff_practices:review", pk=pk)


@require_POST
@staff_required
def return_view(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice.objects.select_related("organisation"), pk=pk)
    form = PracticeReturnForm(request.POST)
    if not form.is_valid():
        return render(
            request, "pledges/staff/review.html", {"practice": practice, "form": form}, status=400
        )
    try:
        practice_return(practice=practice, by=request.user, comment=form.cleaned_data["comment"])
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{practice.title}” returned with your comments.")
    return redirect("staff_practices:review", pk=pk)


@require_POST
@staff_required
def set_public(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice, pk=pk)
    public = request.POST.get("public") == "1"
    try:
        practice_set_public(practice=practice, by=request.user, public=public)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Shown on the public practice page." if public else "No longer public."
        )
    return redirect("staff_practices:review", pk=pk)
