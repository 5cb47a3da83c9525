"""Forms for staff accounts: the one-time code, and a forgotten password."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kartlegging.core.forms import DsForm


class CodeForm(forms.Form):
    """A TOTP code as the authenticator app shows it; spaces are allowed and ignored."""

    code = forms.CharField(
        label=_("Engangskode"),
        max_length=20,
        error_messages={"required": _("Skriv inn den sekssifrede koden fra appen.")},
    )

    def __init__(self, *args, digits: int = 6, **kwargs):
        super().__init__(*args, **kwargs)
        self.digits = digits

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == self.digits):
            raise forms.ValidationError(
                _("Koden består av %(digits)s sifre. Skriv inn bare tallene fra appen."),
                params={"digits": self.digits},
            )
        return code


class ForgottenPasswordForm(DsForm, PasswordResetForm):
    """Django's reset form, but the e-mail goes out from the worker, never in the request.

    The task gets the user's id only and makes the one-time link itself, so no token is
    ever stored. The page says the same whether or not the address is known.
    """

    def save(self, *args, **kwargs) -> None:
        from kartlegging.accounts.tasks import send_password_reset

        for user in self.get_users(self.cleaned_data["email"]):
            transaction.on_commit(lambda pk=user.pk: send_password_reset.enqueue(pk))


class NewPasswordForm(DsForm, SetPasswordForm):
    """Choosing a new password from the one-time link (with Django's password rules)."""
