"""Mounted at /dashboard/ (charter/urls.py): the signatory workspace.

The link pages (invitations, the representative's answer) come first: they are reached from an
email, not from within an organisation's workspace.
"""

from django.urls import path

from signatories import workspace_views as views

app_name = "workspace"

urlpatterns = [
    path("", views.index, name="index"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path(
        "representative/answer/<str:token>/",
        views.representative_answer,
        name="representative_answer",
    ),
    path(
        "representative/answer/<str:token>/confirm/",
        views.representative_confirm_view,
        name="representative_confirm",
    ),
    path(
        "representative/answer/<str:token>/decline/",
        views.representative_decline_view,
        name="representative_decline",
    ),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/profile/", views.profile_edit, name="profile"),
    path("<slug:slug>/data-contact/", views.data_contact_edit, name="data_contact"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/team/", views.team, name="team"),
    path("<slug:slug>/team/invite/", views.invitation_new, name="invite"),
    path(
        "<slug:slug>/team/invitations/<int:pk>/cancel/",
        views.invitation_cancel_view,
        name="invitation_cancel",
    ),
    path("<slug:slug>/team/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/team/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "<slug:slug>/team/requests/<int:pk>/accept/",
        views.join_request_accept_view,
        name="join_request_accept",
    ),
    path(
        "<slug:slug>/team/requests/<int:pk>/refuse/",
        views.join_request_refuse_view,
        name="join_request_refuse",
    ),
    path("<slug:slug>/representative/", views.representative, name="representative"),
    path(
        "<slug:slug>/representative/remind/",
        views.representative_remind_view,
        name="representative_remind",
    ),
    path(
        "<slug:slug>/representative/history/",
        views.representative_history,
        name="representative_history",
    ),
]
