"""Sign-up with email confirmation, and the account page (profiles, API tokens).

Log in, log out, password change and reset are Django's own views (see urls.py) with
these templates; login throttling is django-axes.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.http import require_POST

from .forms import SignUpForm, TokenForm
from .models import ApiToken, Ownership


def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        link = request.build_absolute_uri(
            reverse(
                "accounts:verify",
                args=[
                    urlsafe_base64_encode(force_bytes(user.pk)),
                    default_token_generator.make_token(user),
                ],
            )
        )
        send_mail(
            "Confirm your Clusterhub account",
            render_to_string("accounts/verify_email.txt", {"link": link}),
            None,
            [user.email],
        )
        return render(request, "accounts/signup_sent.html", {"email": user.email})
    return render(request, "accounts/signup.html", {"form": form})


def verify(request, uidb64: str, token: str):
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        pk = None
    user = get_user_model().objects.filter(pk=pk).first() if pk else None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/verify_failed.html", status=400)
    user.is_active = True
    user.save(update_fields=["is_active"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Your email is confirmed: welcome to Clusterhub.")
    return redirect("accounts:home")


@login_required
def home(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "ownerships": Ownership.objects.filter(user=request.user).select_related("organisation"),
        "tokens": ApiToken.objects.filter(user=request.user),
        "form": form,
        "new_key": new_key,
    }
    return render(request, "accounts/home.html", context)


@login_required
@require_POST
def revoke_token(request, pk: int):
    revoked = ApiToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        messages.success(request, "The key is revoked: it no longer opens the API.")
    return redirect("accounts:home")
