from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from charter import media

# Django's own admin log-in asks for no second factor and has no rate limit: send it to allauth's
# log-in instead (which then returns to the admin), so that every way in asks for both.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("charter.public.urls")),
    path("", include("signatories.public.urls")),
    path("staff/practices/", include("pledges.staff.urls")),
    path("staff/data/", include("pledges.staff.data_urls")),
    path("staff/reports/", include("reports.staff.urls")),
    path("staff/", include("signatories.staff.urls")),
    path("dashboard/", include("signatories.workspace.urls")),
    path("dashboard/<slug:slug>/", include("pledges.workspace.urls")),
    path("dashboard/<slug:slug>/", include("reports.workspace.urls")),
    path("practices/", include("pledges.public.urls")),
    path("emails/", include("pledges.public.email_urls")),
    # Before allauth's include: the email preferences sit with the other account pages.
    path("accounts/", include("pledges.workspace.account_urls")),
    # The benchmark open data; the CSV before any other /reports/ include, whose year page
    # would otherwise be tried first.
    path("api/benchmarks/", include("reports.public.api_urls")),
    path("reports/", include("reports.public.csv_urls")),
    path("reports/", include("reports.public.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded logos, served by Django in production too (see charter/media.py for the safeguards).
urlpatterns += [
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.media_file, name="media_file"),
]
