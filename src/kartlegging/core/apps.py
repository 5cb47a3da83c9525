from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kartlegging.core"
    verbose_name = "Kartlegging"

    def ready(self) -> None:
        from kartlegging.core import checks  # noqa: F401  (registers system checks)
