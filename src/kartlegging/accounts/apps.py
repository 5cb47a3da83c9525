from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "kartlegging.accounts"
    verbose_name = _("Brukerkontoer")

    def ready(self) -> None:
        # Connect the sign-in and sign-out signals.
        from kartlegging.accounts import audit, sessions  # noqa: F401


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """Django's documented way to replace the default admin site (see accounts/admin.py)."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "kartlegging.accounts.admin.VerifiedAdminSite"
