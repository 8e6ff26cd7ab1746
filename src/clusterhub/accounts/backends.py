"""Sign-in by email, whatever the account's user name.

Accounts made by sign-up use their email as user name, but `clusterhub createsuperuser`
asks for a user name apart: without this backend such an account could not sign in on
the site's form, which asks for the email.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = kwargs.get("email", username)
        if not email or password is None:
            return None
        users = get_user_model().objects.filter(email__iexact=email.strip()).order_by("pk")
        for user in users:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        # As slow as a check, so that timing does not tell whether the address is known.
        get_user_model()().set_password(password)
        return None
