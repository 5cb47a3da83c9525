from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kartlegging.reports"
    verbose_name = _("Rapporter")

    def ready(self) -> None:
        from kartlegging.reports import tasks  # noqa: F401  (connects task_abandoned)
