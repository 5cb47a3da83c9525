"""Django's password rules with messages in Norwegian (Django's own catalogue lacks some)."""

from __future__ import annotations

from django.contrib.auth import password_validation as rules
from django.utils.translation import gettext as _


class MinimumLength(rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("Passordet er for kort. Det må ha minst %(min_length)d tegn.")

    def get_help_text(self) -> str:
        return _("Minst %(min_length)d tegn.") % {"min_length": self.min_length}


class NotLikeTheUser(rules.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("Passordet ligner for mye på %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Ikke likt brukernavnet, navnet eller e-postadressen.")


class NotCommon(rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("Passordet er for vanlig. Velg et som er vanskeligere å gjette.")

    def get_help_text(self) -> str:
        return _("Ikke et av de vanligste passordene.")


class NotOnlyDigits(rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("Passordet kan ikke bare være tall.")

    def get_help_text(self) -> str:
        return _("Ikke bare tall.")
