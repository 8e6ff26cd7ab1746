"""Sign-up with email confirmation, the account page, the profile editor, the history
and moderation. Every write goes through the services; refusals through `refusals`.

Log in, log out, password change and reset are Django's own views (see urls.py) with
these templates; login throttling is django-axes.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from clusterhub.core.errors import Invalid
from clusterhub.core.http import refusals
from clusterhub.core.mail import send_later
from clusterhub.core.validation import format_validation_error
from clusterhub.network.services import pending_matches
from clusterhub.profiles.document import to_document
from clusterhub.profiles.fields import label_of_path
from clusterhub.profiles.models import ClusterOrganisation, PendingVersion, Status
from clusterhub.profiles.page import page_sections
from clusterhub.profiles.schema import ProfileDoc
from clusterhub.profiles.writing import StaleVersion

from . import editing, editor, moderation, ownership, privacy, revisions
from .forms import ClaimForm, InviteForm, RegisterForm, SignUpForm, TokenForm
from .languages import remember_language, send_to_each
from .models import ApiToken, Invitation, Ownership, OwnershipClaim, Revision
from .permissions import editable, viewable

User = get_user_model()


def _send_confirmation(request, user) -> None:
    link = request.build_absolute_uri(
        reverse(
            "accounts:verify",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        )
    )
    # The new user reads the site in the request's language: their mail is written in it.
    remember_language(user, get_language())
    send_later(
        _("Confirm your Clusterhub account"),
        render_to_string("accounts/verify_email.txt", {"link": link}),
        [user.email],
    )


def _tell_account_exists(request, email: str) -> None:
    """Someone signed up with the address of an account: its owner is told by mail, and
    the page says what it says to everyone, so the page does not reveal the account."""
    reset = request.build_absolute_uri(reverse("accounts:password_reset"))
    send_to_each([email], lambda: (
        _("Your Clusterhub account"),
        render_to_string("accounts/account_exists_email.txt", {"reset": reset}),
    ))  # fmt: skip


def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            with transaction.atomic():
                user = None if User.objects.filter(email__iexact=email).exists() else form.save()
        except IntegrityError:  # the same address signed up at the same instant
            user = None
        if user is None:
            _tell_account_exists(request, email)
        else:
            _send_confirmation(request, user)
        return render(request, "accounts/signup_sent.html", {"email": email})
    return render(request, "accounts/signup.html", {"form": form})


def verify(request, uidb64: str, token: str):
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        pk = None
    user = User.objects.filter(pk=pk).first() if pk else None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/verify_failed.html", status=400)
    user.is_active = True
    user.save(update_fields=["is_active"])
    login(request, user, backend="clusterhub.accounts.backends.EmailBackend")
    messages.success(request, _("Your email is confirmed: welcome to Clusterhub."))
    return redirect("accounts:home")


@login_required
def home(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "ownerships": Ownership.objects.filter(user=request.user).select_related("organisation"),
        "tokens": ApiToken.objects.filter(user=request.user),
        "form": form,
        "new_key": new_key,
        "is_moderator": moderation.is_moderator(request.user),
    }
    return render(request, "accounts/home.html", context)


@login_required
@require_POST
def revoke_token(request, pk: int):
    revoked = ApiToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        messages.success(request, _("The key is revoked: it no longer opens the API."))
    return redirect("accounts:home")


def _editable(request, slug: str, doing: str) -> ClusterOrganisation:
    """The profile the user may edit: 404 for whoever may not see it, 403 for the others."""
    with refusals(request):
        return editable(request.user, slug, doing)


@login_required
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {"name": form.cleaned_data["name"], "country": form.cleaned_data["country"] or None}
        try:
            doc = ProfileDoc.model_validate(data)
        except ValidationError as exc:
            form.add_error(None, format_validation_error(exc))
        else:
            with refusals(request, form) as outcome:
                org = editing.create_profile(request.user, doc)
            if outcome.failed:
                form.add_error("name", _("Ask its owners to invite you, or claim it."))
            else:
                messages.success(
                    request, _("Draft created. Fill in each section; save at any step.")
                )
                return redirect("accounts:edit", org.slug, "general")
    return render(request, "accounts/register.html", {"form": form})


def _changes(before: ProfileDoc, after: ProfileDoc) -> list[dict]:
    found = revisions.document_changes(
        before.model_dump(mode="json"), after.model_dump(mode="json")
    )
    return [{**c, "label": label_of_path(c["path"])} for c in found]


@login_required
def edit(request, slug: str, section: str = "general"):
    org = _editable(request, slug, _("edit this profile"))
    if section not in editor.SECTION_BY_SLUG:
        raise Http404(f"No section {section!r}")
    spec = editor.SECTION_BY_SLUG[section]
    stored = editing.head_document(org)
    current = stored.model_dump(mode="json")
    version = org.version
    if request.method == "POST":
        forms_ = editor.SectionForms(spec, current, data=request.POST)
        version = _int(request.POST.get("version"))
        doc = forms_.validate()
        if doc is not None:
            conflict = None
            with refusals(request, forms_.main) as outcome:
                try:
                    org = editing.update_profile(request.user, slug, doc, version)
                except StaleVersion as exc:
                    conflict = exc
            if conflict is not None:
                context = {"org": org, "section": spec, "forms": forms_,
                           "version": conflict.current_version,
                           "changes": _changes(conflict.current, doc)}  # fmt: skip
                return render(request, "accounts/conflict.html", context, status=409)
            if not outcome.failed:
                if editing.is_waiting(org):
                    messages.success(
                        request,
                        _("%(section)s: saved. Your edit waits for a moderator; the published "
                          "profile stays as it is until then.") % {"section": spec.title},
                    )  # fmt: skip
                else:
                    messages.success(request, _("%(section)s: saved.") % {"section": spec.title})
                following = editor.next_section(spec)
                if "continue" in request.POST and following:
                    return redirect("accounts:edit", slug, following.slug)
                return redirect("accounts:edit", slug, spec.slug)
    else:
        forms_ = editor.SectionForms(spec, current)
    declined = org.revisions.filter(action=Revision.Action.DECLINE).order_by("-id").first()
    # A page shown after a POST saved nothing (a save redirects): `stored` is still the head.
    progress = editor.progress(current, moderation.validation_checklist(stored))
    context = {
        "org": org,
        "section": spec,
        "sections": editor.SECTIONS,
        "progress": progress,
        "missing": [c for p in progress for c in p.missing],
        "forms": forms_,
        "version": version,
        "next": editor.next_section(spec),
        "may_submit": org.status in moderation.TRANSITIONS["submit"][1],
        "waiting": editing.is_waiting(org),
        "declined": declined if declined and not editing.is_waiting(org) else None,
    }
    return render(request, "accounts/edit.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _unconfirmed(user, slug: str, message: str):
    """Publishing asks the moderator to confirm (a box on the review page); refused
    without it — after the checks that answer 404 to whoever may not see the profile."""
    viewable(user, slug)
    moderation.may_review(user)
    raise Invalid(message)


@login_required
@require_POST
def change_status(request, slug: str, action: str):
    with refusals(request) as outcome:
        if action == "publish" and not request.POST.get("confirm"):
            _unconfirmed(request.user, slug, _("Tick “I have checked this profile” to publish it."))
        moderation.change_status(request.user, slug, action, request.POST.get("reason", ""))
    if not outcome.failed:
        messages.success(
            request, _("Done: %(action)s.") % {"action": Revision.Action(action).label.lower()}
        )
    target = "accounts:review" if action in ("publish", "return") else "accounts:edit_start"
    return redirect(target, slug)


@login_required
def history(request, slug: str):
    org = _editable(request, slug, _("see its history"))
    if request.method == "POST":
        with refusals(request) as outcome:
            editing.restore_revision(
                request.user,
                slug,
                _int(request.POST.get("restore")),
                _int(request.POST.get("version")),
            )
        if not outcome.failed:
            messages.success(
                request, _("Version %(v)s restored.") % {"v": request.POST.get("restore")}
            )
        return redirect("accounts:revisions", slug)
    context = {"org": org, "history": revisions.history(org), "restorable": RESTORABLE}
    return render(request, "accounts/revisions.html", context)


# Revisions whose document can be saved again (moderation steps only move the state).
RESTORABLE = {a.value for a in Revision.Action} - {
    "submit",
    "publish",
    "return",
    "archive",
    "decline",
}


@login_required
def moderation_queue(request):
    with refusals(request):
        moderation.may_review(request.user)
    context = {
        "waiting": ClusterOrganisation.objects.filter(status=Status.SUBMITTED).order_by(
            "updated_at"
        ),
        "edits": PendingVersion.objects.select_related("organisation", "author").order_by(
            "updated_at"
        ),
        "claims": OwnershipClaim.objects.filter(state=OwnershipClaim.State.PENDING).select_related(
            "organisation", "user"
        ),
        "collaborations": pending_matches().count(),
    }
    return render(request, "accounts/moderation.html", context)


@login_required
def review(request, slug: str):
    with refusals(request):
        viewable(request.user, slug)  # a 404 for whoever may not see it
        moderation.may_review(request.user)
        org = editable(request.user, slug, _("review it"))
    doc = to_document(org)
    edit = moderation.pending_edit(org)
    reviewed = edit or doc
    context = {
        "org": org,
        "doc": doc,
        "checklist": moderation.validation_checklist(reviewed),
        "edit_changes": _changes(doc, edit) if edit else None,
        # The profile as it would be published, inline (the print view's parts: no panels).
        "reviewed": reviewed,
        "sections": page_sections(reviewed.model_dump(), {}),
        "collaborations": pending_matches().filter(organisation=org).count(),
        "may_publish": org.status in moderation.TRANSITIONS["publish"][1],
        "may_return": org.status in moderation.TRANSITIONS["return"][1],
    }
    return render(request, "accounts/review.html", context)


@login_required
@require_POST
def decide_edit(request, slug: str, decision: str):
    version = _int(request.POST.get("version"))
    with refusals(request) as outcome:
        if decision == "accept" and not request.POST.get("confirm"):
            _unconfirmed(request.user, slug, _("Tick “I have checked this edit” to publish it."))
        if decision == "accept":
            moderation.accept_edit(request.user, slug, version)
        elif decision == "decline":
            moderation.decline_edit(request.user, slug, request.POST.get("reason", ""), version)
        else:
            raise Http404(f"No decision {decision!r}")
    if not outcome.failed:
        done = _("accepted and published") if decision == "accept" else _("declined")
        messages.success(request, _("The edit is %(done)s.") % {"done": done})
    return redirect("accounts:review", slug)


@login_required
def owners(request, slug: str):
    org = _editable(request, slug, _("see its owners"))
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            invitation, key = ownership.invite(request.user, slug, form.cleaned_data["email"])
        if not outcome.failed:

            def write():  # in the invitee's language if they have an account, else ours
                link = request.build_absolute_uri(reverse("accounts:invitation", args=[key]))
                context = {"org": org, "link": link, "by": request.user,
                           "days": ownership.INVITATION_DAYS}  # fmt: skip
                return (
                    _("Co-own the profile of %(name)s on Clusterhub") % {"name": org.name},
                    render_to_string("accounts/invitation_email.txt", context),
                )

            send_to_each([invitation.email], write, default=get_language())
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
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
        with refusals(request) as outcome:
            org = ownership.accept_invitation(request.user, key)
        if not outcome.failed:
            messages.success(request, _("You now co-own %(name)s.") % {"name": org.name})
            return redirect("accounts:edit_start", org.slug)
    return render(request, "accounts/invitation.html", {"invitation": found})


@login_required
def claim(request, slug: str):
    with refusals(request):
        org = viewable(request.user, slug)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            ownership.claim(request.user, slug, form.cleaned_data["message"])
        if not outcome.failed:
            messages.success(
                request, _("Your claim on %(name)s waits for a moderator.") % {"name": org.name}
            )
            return redirect("accounts:home")
    return render(request, "accounts/claim.html", {"org": org, "form": form})


@login_required
@require_POST
def decide_claim(request, pk: int, decision: str):
    if decision not in ("approve", "reject"):
        raise Http404(f"No decision {decision!r}")
    with refusals(request) as outcome:
        decided = ownership.decide_claim(request.user, pk, approve=decision == "approve")
    if not outcome.failed:
        messages.success(
            request,
            _("Claim of %(email)s on %(name)s: %(state)s.")
            % {
                "email": decided.user.email,
                "name": decided.organisation.name,
                "state": decided.state,
            },
        )
    return redirect("accounts:moderation")


@login_required
@require_POST
def remove_contact(request, slug: str, position: int):
    with refusals(request) as outcome:
        privacy.remove_contact(request.user, slug, position - 1)
    if not outcome.failed:
        messages.success(
            request, _("The contact person is removed from the profile and its history.")
        )
    return redirect("accounts:review", slug)


@login_required
def my_data(request):
    response = JsonResponse(
        privacy.personal_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="clusterhub-my-data.json"'
    return response
