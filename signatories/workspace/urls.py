"""Mounted at /dashboard/ (charter/urls.py): the signatory workspace.

The link pages (invitations, the representative's answer) come first: they are reached from an
email, not from within an organisation's workspace.
"""

from django.urls import path

from signatories.workspace.views import members, organisation, representatives

app_name = "workspace"

urlpatterns = [
    path("", organisation.index, name="index"),
    path("invitations/<str:token>/", members.invitation, name="invitation"),
    path(
        "representative/answer/<str:token>/",
        representatives.representative_answer,
        name="representative_answer",
    ),
    path(
        "representative/answer/<str:token>/confirm/",
        representatives.representative_confirm_view,
        name="representative_confirm",
    ),
    path(
        "representative/answer/<str:token>/decline/",
        representatives.representative_decline_view,
        name="representative_decline",
    ),
    path("<slug:slug>/", organisation.overview, name="overview"),
    path("<slug:slug>/profile/", organisation.profile_edit, name="profile"),
    path("<slug:slug>/data-contact/", organisation.data_contact_edit, name="data_contact"),
    path("<slug:slug>/withdraw/", organisation.withdraw, name="withdraw"),
    path("<slug:slug>/team/", members.team, name="team"),
    path("<slug:slug>/team/invite/", members.invitation_new, name="invite"),
    path(
        "<slug:slug>/team/invitations/<int:pk>/cancel/",
        members.invitation_cancel_view,
        name="invitation_cancel",
    ),
    path("<slug:slug>/team/members/<int:pk>/role/", members.member_role, name="member_role"),
    path("<slug:slug>/team/members/<int:pk>/remove/", members.member_remove, name="member_remove"),
    path(
        "<slug:slug>/team/requests/<int:pk>/accept/",
        members.join_request_accept_view,
        name="join_request_accept",
    ),
    path(
        "<slug:slug>/team/requests/<int:pk>/refuse/",
        members.join_request_refuse_view,
        name="join_request_refuse",
    ),
    path("<slug:slug>/representative/", representatives.representative, name="representative"),
    path(
        "<slug:slug>/representative/remind/",
        representatives.representative_remind_view,
        name="representative_remind",
    ),
    path(
        "<slug:slug>/representative/history/",
        representatives.representative_history,
        name="representative_history",
    ),
]
