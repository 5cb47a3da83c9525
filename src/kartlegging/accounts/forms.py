"""The one-time code form for two-factor authentication."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
