from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsesConfig(AppConfig):
    name = "kartlegging.responses"
    verbose_name = _("Svar")
