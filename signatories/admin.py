"""The Django admin is for data fixes by developers; charter staff work in /staff/."""

from django.contrib import admin

from signatories.models import (
    Application,
    ApplicationEvent,
    JoinRequest,
    Membership,
    Organisation,
    Representative,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    can_delete = False
    readonly_fields = ["named_by", "named_at", "confirmed_at", "declined_at", "ended_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["signatory_number", "public_name", "status", "sector", "region", "signed_on"]
    list_filter = ["status", "sector", "region", "organisation_type", "size_band"]
    search_fields = ["public_name", "legal_name", "website_domain", "companies_house_number"]
    readonly_fields = ["signatory_number", "website_domain", "created_at", "updated_at"]
    inlines = [MembershipInline, RepresentativeInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Organisations are withdrawn, never deleted: their history is part of the charter's.
        return False


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "message", "rejection_reason", "internal", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "applicant", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["public_name", "legal_name", "applicant__email"]
    raw_id_fields = ["applicant", "organisation", "decided_by"]
    readonly_fields = ["status", "submitted_at", "decided_at", "decided_by", "organisation"]
    inlines = [ApplicationEventInline]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    """Read-only: events are the record of who decided what, and are never edited."""

    list_display = ["application", "kind", "actor", "created_at", "internal"]
    list_filter = ["kind", "internal"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "organisation", "decided_by"]
