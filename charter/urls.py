from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from charter import views

urlpatterns = [
    path("", views.home, name="home"),
    path("charter/", views.charter_page, name="charter"),
    path("charter.pdf", views.charter_pdf, name="charter_pdf"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("", include("signatories.urls")),
    path("staff/practices/", include("pledges.staff_urls")),
    path("staff/", include("signatories.staff_urls")),
    path("dashboard/", include("signatories.workspace_urls")),
    path("dashboard/<slug:slug>/", include("pledges.urls")),
    path("practices/", include("pledges.public_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
