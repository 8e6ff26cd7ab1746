from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.core import records

from .models import NewsItem


class NewsForm(forms.Form):
    kind = forms.ChoiceField(label=_("News or event"), choices=NewsItem.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day of the news, or of the event."),
    )  # fmt: skip
    link = forms.CharField(
        label=_("Link"),
        max_length=500,
        required=False,
        help_text=_("An address starting with https://"),
    )


# The XLSX download, for people: the form's names for the columns, labels for the values.
SHEET = records.Sheet(
    headings={name: field.label for name, field in NewsForm.base_fields.items()},
    shown={
        "kind": records.choice_label(NewsItem.Kind),
        "status": records.choice_label(NewsItem.Status),
    },
)
