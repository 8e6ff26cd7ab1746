from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX, SUBJECT_MAX


class ContactForm(forms.Form):
    sender_name = forms.CharField(label=_("Your name"), max_length=200)
    sender_organisation = forms.CharField(
        label=_("Your organisation"), max_length=200, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The owners see your name, your organisation and your email address to reply."),
    )  # fmt: skip


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this conversation?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
