from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.calls.services import open_calls
from clusterhub.core import records
from clusterhub.core.places import country_choices, country_label
from clusterhub.messaging.forms import ContactForm
from clusterhub.vocab.services import term_choices
from clusterhub.vocab.translations import term_label

from .models import Opportunity


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Opportunity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    details = forms.CharField(
        label=_("What is offered or sought"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )  # fmt: skip
    sectoral_industries = forms.MultipleChoiceField(
        label=_("Sectoral industries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    technology_fields = forms.MultipleChoiceField(
        label=_("Technology fields"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    target_countries = forms.MultipleChoiceField(
        label=_("Target countries"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    call = forms.CharField(
        label=_("Funding call"), max_length=300, required=False,
        help_text=_(
            "For a partner search: the call's identifier; one of the calls listed here links it."
        ),
    )  # fmt: skip
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Open until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("90 days from today if left empty; a year at most."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectoral_industries"].choices = term_choices("sectoral_industries")
        self.fields["technology_fields"].choices = term_choices("technology_fields")
        self.fields["target_countries"].choices = country_choices()
        # The open calls of the platform's list, offered as the call field's suggestions.
        self.open_calls = [(c.identifier, c.title) for c in open_calls()]
        self.fields["call"].widget.attrs["list"] = "open-calls"


# The XLSX download, for people: the form's names for the columns, labels for the values.
SHEET = records.Sheet(
    headings={name: field.label for name, field in OpportunityForm.base_fields.items()},
    shown={
        "kind": records.choice_label(Opportunity.Kind),
        "status": records.choice_label(Opportunity.Status),
        "sectoral_industries": term_label, "technology_fields": term_label,
        "target_countries": country_label,
    },
)  # fmt: skip


class InterestForm(ContactForm):
    """Expressing interest: a message to the owners, without a subject of one's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["subject"]
