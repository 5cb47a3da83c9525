from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "kartlegging.recommendations"
    verbose_name = _("Anbefalinger")

    def ready(self) -> None:
        from kartlegging.questionnaires.dependents import register
        from kartlegging.recommendations.dependents import rules_reading

        register(rules_reading)
