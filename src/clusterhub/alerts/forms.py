from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SavedSearch


class SaveSearchForm(forms.Form):
    kind = forms.ChoiceField(choices=SavedSearch.Kind.choices, widget=forms.HiddenInput)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name of the search"), max_length=200)
    frequency = forms.ChoiceField(
        label=_("Tell me"), choices=SavedSearch.Frequency.choices, widget=forms.RadioSelect,
        initial=SavedSearch.Frequency.WEEKLY,
    )  # fmt: skip
