from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clusterhub.core.errors import DomainError
from clusterhub.core.http import as_http, refusals

from . import services
from .forms import SaveSearchForm
from .models import ProfileFollow, SavedSearch


@login_required
def home(request):
    searches = [
        (s, reverse(services.LISTS[s.kind]) + ("?" + s.query if s.query else ""),
         reverse("alerts:search_feed", args=[services.feed_token(s)]))
        for s in SavedSearch.objects.filter(user=request.user)
    ]  # fmt: skip
    follows = ProfileFollow.objects.filter(user=request.user).select_related("organisation")
    context = {
        "searches": searches,
        "follows": follows,
        "frequencies": SavedSearch.Frequency.choices,
    }
    return render(request, "alerts/home.html", context)


@login_required
def save(request):
    initial = {"kind": request.GET.get("kind", ""), "query": request.GET.get("query", "")}
    form = SaveSearchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            data = form.cleaned_data
            services.save_search(
                request.user, data["kind"], data["query"], data["name"], data["frequency"]
            )
        if not outcome.failed:
            messages.success(request, _("Search saved: you will be told what is new."))
            return redirect("alerts:home")
    return render(request, "alerts/save.html", {"form": form})


@login_required
@require_POST
def change(request, pk: int):
    with refusals(request):
        if request.POST.get("delete"):
            services.delete_search(request.user, pk)
        else:
            services.set_frequency(request.user, pk, request.POST.get("frequency", ""))
    return redirect("alerts:home")


@login_required
@require_POST
def follow_profile(request, slug: str):
    on = request.POST.get("on") == "1"
    with refusals(request):
        services.follow_profile(request.user, slug, on)
    messages.success(
        request,
        _("You follow this profile: its changes come in your weekly digest.") if on
        else _("You no longer follow this profile."),
    )  # fmt: skip
    return redirect("profiles:detail", slug)


# A mail program's one-click unsubscribe (RFC 8058) posts without a CSRF token: the
# signed token in the address is what authorises it.
@csrf_exempt
def unsubscribe(request, token: str):
    if request.method == "POST":
        try:
            deleted = services.unsubscribe(token)
        except DomainError as exc:
            as_http(exc)
            raise
        return render(request, "alerts/unsubscribed.html", {"deleted": deleted})
    return render(request, "alerts/unsubscribe.html", {"token": token})
