"""Mounted under /dashboard/<slug>/ (charter/urls.py): the organisation's pledges and practices."""

from django.urls import path

from pledges.workspace.views import commitments as views
from pledges.workspace.views import data_returns, emails

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
    # The reminders sent to the team (admins only).
    path("emails/", emails.team_emails, name="emails"),
    # The yearly data return (pledge 5).
    path("data/", data_returns.data, name="data"),
    path("data/<int:year>/", data_returns.data_return, name="data_return"),
    path("data/<int:year>/history/", data_returns.data_history, name="data_history"),
    path("data/<int:year>/receipts/<int:number>/", data_returns.data_receipt, name="data_receipt"),
    path(
        "data/<int:year>/receipts/<int:number>/pdf/",
        data_returns.data_receipt_pdf,
        name="data_receipt_pdf",
    ),
    path("data/<int:year>/grace/", data_returns.data_grace, name="data_grace"),
    path(
        "data/<int:year>/queries/<int:pk>/",
        data_returns.data_query_answer,
        name="data_query_answer",
    ),
]
