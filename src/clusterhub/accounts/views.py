"""Sign-up with email confirmation, and the account page (profiles, API tokens).

Log in, log out, password change and reset are Django's own views (see urls.py) with
these templates; login throttling is django-axes.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from clusterhub.profiles.document import to_document
from clusterhub.profiles.models import ClusterOrganisation, Status
from clusterhub.profiles.schema import ProfileDoc, format_validation_error

from . import editor
from . import services as workflow
from .forms import ClaimForm, InviteForm, RegisterForm, SignUpForm, TokenForm
from .models import ApiToken, Invitation, Ownership, OwnershipClaim


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
        "is_moderator": workflow.is_moderator(request.user),
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


# The profile editor, the history and moderation. Every write goes through services.


def _editable(request, slug: str) -> ClusterOrganisation:
    org = get_object_or_404(ClusterOrganisation, slug=slug)
    if not workflow.may_edit(request.user, org):
        raise PermissionDenied("only its owners and moderators may edit this profile")
    return org


@login_required
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {"name": form.cleaned_data["name"], "country": form.cleaned_data["country"] or None}
        try:
            org = workflow.create_profile(request.user, ProfileDoc.model_validate(data))
        except ValidationError as exc:
            form.add_error(None, format_validation_error(exc))
        except workflow.WorkflowError as exc:
            form.add_error("name", f"{exc} — ask its owners to invite you, or claim it.")
        else:
            messages.success(request, "Draft created. Fill in each section; save at any step.")
            return redirect("accounts:edit", org.slug, "general")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def edit(request, slug: str, section: str = "general"):
    org = _editable(request, slug)
    if section not in editor.SECTION_BY_SLUG:
        raise Http404(f"No section {section!r}")
    spec = editor.SECTION_BY_SLUG[section]
    current = to_document(org).model_dump(mode="json")
    version = org.version
    if request.method == "POST":
        forms_ = editor.SectionForms(spec, current, data=request.POST)
        version = _int(request.POST.get("version"))
        doc = forms_.validate()
        if doc is not None:
            try:
                workflow.update_profile(request.user, slug, doc, version)
            except workflow.Conflict as exc:
                return render(
                    request,
                    "accounts/conflict.html",
                    {
                        "org": org, "section": spec, "forms": forms_,
                        "version": exc.current_version,
                        "changes": workflow.document_changes(
                            exc.current.model_dump(mode="json"), doc.model_dump(mode="json")
                        ),
                    },
                    status=409,
                )  # fmt: skip
            except workflow.WorkflowError as exc:
                forms_.main.add_error(None, str(exc))
            else:
                messages.success(request, f"{spec.title}: saved.")
                following = editor.next_section(spec)
                if "continue" in request.POST and following:
                    return redirect("accounts:edit", slug, following.slug)
                return redirect("accounts:edit", slug, spec.slug)
    else:
        forms_ = editor.SectionForms(spec, current)
    context = {
        "org": org,
        "section": spec,
        "sections": editor.SECTIONS,
        "forms": forms_,
        "version": version,
        "next": editor.next_section(spec),
        "may_submit": org.status in workflow.TRANSITIONS["submit"][1],
    }
    return render(request, "accounts/edit.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def change_status(request, slug: str, action: str):
    if action not in workflow.TRANSITIONS:
        raise Http404(f"No action {action!r}")
    try:
        workflow.change_status(request.user, slug, action, request.POST.get("reason", ""))
    except workflow.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except workflow.NotFound as exc:
        raise Http404(str(exc)) from None
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Done: {workflow.Revision.Action(action).label.lower()}.")
    target = "accounts:review" if action in ("publish", "return") else "accounts:edit_start"
    return redirect(target, slug)


@login_required
def revisions(request, slug: str):
    org = _editable(request, slug)
    if request.method == "POST":
        try:
            workflow.restore_revision(
                request.user,
                slug,
                _int(request.POST.get("restore")),
                _int(request.POST.get("version")),
            )
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Version {request.POST.get('restore')} restored.")
        return redirect("accounts:revisions", slug)
    history = org.revisions.select_related("author").order_by("-id")
    return render(request, "accounts/revisions.html", {"org": org, "history": history})


def _moderator(request) -> None:
    if not workflow.is_moderator(request.user):
        raise PermissionDenied("for moderators only")


@login_required
def moderation(request):
    _moderator(request)
    waiting = ClusterOrganisation.objects.filter(status=Status.SUBMITTED).order_by("updated_at")
    claims = OwnershipClaim.objects.filter(state=OwnershipClaim.State.PENDING).select_related(
        "organisation", "user"
    )
    return render(request, "accounts/moderation.html", {"waiting": waiting, "claims": claims})


@login_required
def review(request, slug: str):
    _moderator(request)
    org = get_object_or_404(ClusterOrganisation, slug=slug)
    doc = to_document(org)
    context = {"org": org, "doc": doc, "checklist": workflow.validation_checklist(doc)}
    return render(request, "accounts/review.html", context)


@login_required
def owners(request, slug: str):
    org = _editable(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, key = workflow.invite(request.user, slug, form.cleaned_data["email"])
        except workflow.WorkflowError as exc:
            form.add_error("email", str(exc).removeprefix("email: "))
        else:
            link = request.build_absolute_uri(reverse("accounts:invitation", args=[key]))
            send_mail(
                f"Co-own the profile of {org.name} on Clusterhub",
                render_to_string(
                    "accounts/invitation_email.txt",
                    {
                        "org": org,
                        "link": link,
                        "by": request.user,
                        "days": workflow.INVITATION_DAYS,
                    },
                ),
                None,
                [invitation.email],
            )
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("accounts:owners", slug)
    context = {
        "org": org,
        "owners": org.ownerships.select_related("user"),
        "pending": org.invitations.filter(accepted_at__isnull=True),
        "form": form,
    }
    return render(request, "accounts/owners.html", context)


@login_required
def invitation(request, key: str):
    found = Invitation.find(key)
    if request.method == "POST":
        try:
            org = workflow.accept_invitation(request.user, key)
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"You now co-own {org.name}.")
            return redirect("accounts:edit_start", org.slug)
    return render(request, "accounts/invitation.html", {"invitation": found})


@login_required
def claim(request, slug: str):
    org = get_object_or_404(ClusterOrganisation, slug=slug, status=Status.PUBLISHED)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.claim(request.user, slug, form.cleaned_data["message"])
        except workflow.WorkflowError as exc:
            form.add_error("message", str(exc))
        else:
            messages.success(request, f"Your claim on {org.name} waits for a moderator.")
            return redirect("accounts:home")
    return render(request, "accounts/claim.html", {"org": org, "form": form})


@login_required
@require_POST
def decide_claim(request, pk: int, decision: str):
    if decision not in ("approve", "reject"):
        raise Http404(f"No decision {decision!r}")
    try:
        decided = workflow.decide_claim(request.user, pk, approve=decision == "approve")
    except workflow.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Claim of {decided.user.email} on {decided.organisation.name}: {decided.state}.",
        )
    return redirect("accounts:moderation")


@login_required
@require_POST
def remove_contact(request, slug: str, position: int):
    try:
        workflow.remove_contact(request.user, slug, position - 1)
    except workflow.Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The contact person is removed from the profile and its history.")
    return redirect("accounts:review", slug)


@login_required
def my_data(request):
    response = JsonResponse(
        workflow.personal_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="clusterhub-my-data.json"'
    return response
