from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.accounts.models import Ownership
from clusterhub.accounts.permissions import viewable
from clusterhub.core.http import refusals

from . import services
from .forms import ContactForm, ReplyForm, ReportForm


@login_required
def contact(request, slug: str):
    with refusals(request):
        org = viewable(request.user, slug)
    own = Ownership.objects.filter(user=request.user).select_related("organisation").first()
    initial = {"sender_organisation": own.organisation.name if own else ""}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            conversation = services.contact(request.user, slug, **form.cleaned_data)
        if not outcome.failed:
            messages.success(request, _("Your message was sent to %(name)s.") % {"name": org.name})
            return redirect("messaging:thread", conversation.pk)
    return render(request, "messaging/contact.html", {"org": org, "form": form})


@login_required
def inbox(request):
    conversations = services.inbox(request.user)
    return render(request, "messaging/inbox.html", {"conversations": conversations})


@login_required
def thread(request, pk: int):
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.reply(request.user, pk, form.cleaned_data["body"])
        if not outcome.failed:
            messages.success(request, _("Reply sent."))
            return redirect("messaging:thread", pk)
    with refusals(request):
        conversation, thread_messages = services.thread(request.user, pk)
    context = {
        "conversation": conversation,
        "thread_messages": thread_messages,
        "form": form,
        "report_form": ReportForm(),
        "is_party": services.is_party(request.user, conversation),
    }
    return render(request, "messaging/thread.html", context)


@login_required
@require_POST
def mark_unread(request, pk: int):
    with refusals(request):
        services.mark_unread(request.user, pk)
    return redirect("messaging:inbox")


@login_required
@require_POST
def report(request, pk: int):
    form = ReportForm(request.POST)
    if form.is_valid():
        with refusals(request) as outcome:
            services.report(request.user, pk, form.cleaned_data["reason"])
        if not outcome.failed:
            messages.success(request, _("Thank you: a moderator will look at this conversation."))
    else:
        with refusals(request):
            services.readable(request.user, pk)
        messages.error(request, _("Say what is wrong with the conversation."))
    return redirect("messaging:thread", pk)


@login_required
@require_POST
def delete_mine(request):
    with refusals(request):
        deleted = services.delete_messages(request.user)
    messages.success(request, _("%(count)d messages deleted.") % {"count": deleted})
    return redirect("messaging:inbox")


@login_required
def reports(request):
    with refusals(request):
        found = list(services.open_reports(request.user))
    return render(request, "messaging/reports.html", {"reports": found})


@login_required
@require_POST
def resolve(request, pk: int):
    with refusals(request):
        services.resolve_report(request.user, pk)
    return redirect("messaging:reports")


def unread(request) -> dict:
    """Context processor: the signed-in user's unread conversations, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_conversations": services.unread_count(user)}
