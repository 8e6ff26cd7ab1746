from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from . import views
from .forms import EmailAuthenticationForm

app_name = "accounts"


def page(view, template: str, **options):
    # Templates under accounts/: the admin's registration/ templates would win otherwise.
    return view.as_view(template_name=f"accounts/{template}.html", **options)


urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("verify/<str:uidb64>/<str:token>/", views.verify, name="verify"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("register/", views.register, name="register"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("profiles/<slug:slug>/edit/", views.edit, name="edit_start"),
    path("profiles/<slug:slug>/edit/<slug:section>/", views.edit, name="edit"),
    path("profiles/<slug:slug>/revisions/", views.history, name="revisions"),
    path("profiles/<slug:slug>/review/", views.review, name="review"),
    path(
        "profiles/<slug:slug>/review/edit/<slug:decision>/", views.decide_edit, name="decide_edit"
    ),
    path("profiles/<slug:slug>/status/<slug:action>/", views.change_status, name="change_status"),
    path("profiles/<slug:slug>/owners/", views.owners, name="owners"),
    path("profiles/<slug:slug>/claim/", views.claim, name="claim"),
    path(
        "profiles/<slug:slug>/contacts/<int:position>/remove/",
        views.remove_contact,
        name="remove_contact",
    ),
    path("invitations/<str:key>/", views.invitation, name="invitation"),
    path("claims/<int:pk>/<slug:decision>/", views.decide_claim, name="decide_claim"),
    path("data/", views.my_data, name="my_data"),
    path(
        "login/",
        page(
            auth.LoginView,
            "login",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        page(
            auth.PasswordChangeView,
            "password_change",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        page(auth.PasswordChangeDoneView, "password_change_done"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        page(
            auth.PasswordResetView,
            "password_reset",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        page(auth.PasswordResetDoneView, "password_reset_sent"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        page(
            auth.PasswordResetConfirmView,
            "password_reset_confirm",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        page(auth.PasswordResetCompleteView, "password_reset_complete"),
        name="password_reset_complete",
    ),
]
