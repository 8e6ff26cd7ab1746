from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.core import records
from clusterhub.core.places import country_choices, country_label
from clusterhub.vocab.services import term_choices
from clusterhub.vocab.translations import term_label

from .models import FundingCall

_DATE = {"type": "date"}


class CallForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identifier"), max_length=120,
        help_text=_("The programme's identifier of the call, e.g. HORIZON-CL4-2027-TWIN-01."),
    )  # fmt: skip
    programme = forms.CharField(label=_("Programme"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    link = forms.CharField(
        label=_("Link to the call"),
        max_length=500,
        help_text=_("An address starting with https://"),
    )
    kind = forms.ChoiceField(label=_("Type of funding"), choices=FundingCall.Kind.choices)
    opens_on = forms.DateField(label=_("Opens on"), required=False, widget=forms.DateInput(_DATE))
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(_DATE),
        help_text=_("Leave empty for a call open continuously."),
    )  # fmt: skip
    eligible_countries = forms.MultipleChoiceField(
        label=_("Eligible countries"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    sectoral_industries = forms.MultipleChoiceField(
        label=_("Sectoral industries"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    budget_eur = forms.IntegerField(label=_("Budget (EUR)"), required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_countries"].choices = country_choices()
        self.fields["sectoral_industries"].choices = term_choices("sectoral_industries")


# The XLSX download, for people: the form's names for the columns, labels for the values.
SHEET = records.Sheet(
    headings={name: field.label for name, field in CallForm.base_fields.items()},
    shown={
        "kind": records.choice_label(FundingCall.Kind),
        "status": records.choice_label(FundingCall.Status),
        "state": records.choice_label(FundingCall.State),
        "sectoral_industries": term_label, "eligible_countries": country_label,
    },
)  # fmt: skip


class PosterForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the user"))
