from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "kartlegging.surveys"
    verbose_name = _("Kartlegginger")

    def ready(self) -> None:
        from kartlegging.questionnaires.dependents import register
        from kartlegging.surveys import tasks  # noqa: F401  (connects task_abandoned)
        from kartlegging.surveys.dependents import surveys_using

        register(surveys_using)
