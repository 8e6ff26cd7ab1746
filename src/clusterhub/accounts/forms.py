from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from clusterhub.core.places import country_choices

User = get_user_model()


class SignUpForm(UserCreationForm):
    """An account is an email address and a password; the email is the user name."""

    email = forms.EmailField(max_length=254, help_text=_("We send a link to confirm it."))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        # Whether the address has an account is not said here (the view mails its owner).
        return self.cleaned_data["email"].strip().lower()

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = user.email = self.cleaned_data["email"]
        user.is_active = False  # until the email is confirmed
        if commit:
            user.save()
        return user


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(
        attrs={"autofocus": True, "autocomplete": "email"}))  # fmt: skip

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “CRM sync”."),
        initial="API",
    )


def _country_or_none() -> list[tuple[str, str]]:
    return [("", "—"), *country_choices()]  # named for the reader at each form


class RegisterForm(forms.Form):
    """The first step of registering a cluster organisation; the editor does the rest."""

    name = forms.CharField(label=_("Name of the cluster organisation"), max_length=300)
    country = forms.ChoiceField(label=_("Country"), choices=_country_or_none)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email"), max_length=254)


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Who you are"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your role in the cluster organisation, and how a moderator can check it."),
    )


class ReturnForm(forms.Form):
    """A moderator returns something (an opportunity, news) with the reason."""

    note = forms.CharField(
        label=_("Why it is returned"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
