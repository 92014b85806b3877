from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from charter.models import Pledge, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["full_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "title", "updated_at"]
    list_display_links = ["title"]
    readonly_fields = ["code", "updated_at"]
    fields = ["code", "position", "title", "summary", "body", "updated_at"]

    def has_add_permission(self, request) -> bool:
        # The five pledges are fixed by the charter; only their wording may change.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
