"""Mounted under /dashboard/<slug>/ (charter/urls.py): the organisation's pledges and practices."""

from django.urls import path

from pledges.workspace.views import commitments as views

app_name = "pledges"

urlpatterns = [
    path("pledges/<str:code>/", views.commitment_edit, name="commitment"),
    path("pledges/<str:code>/review/", views.commitment_review_view, name="review"),
    path("pledges/<str:code>/history/", views.commitment_history, name="history"),
    path("pledges/<str:code>/actions/new/", views.action_new, name="action_new"),
    path("pledges/<str:code>/actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("practices/", views.practices, name="practices"),
    path("practices/new/", views.practice_new, name="practice_new"),
    path("practices/<int:pk>/", views.practice_detail, name="practice"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/submit/", views.practice_submit_view, name="practice_submit"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/", views.library_practice, name="library_practice"),
]
