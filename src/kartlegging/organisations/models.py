from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kartlegging.organisations.sizes import DEFAULT_BOUNDARIES, size_class


class Organisation(models.Model):
    class Kind(models.TextChoices):
        KOMMUNE = "kommune", _("Kommune")
        HELSEFORETAK = "helseforetak", _("Helseforetak")
        ANNET = "annet", _("Annet")

    # 4-digit municipality number, or an id of our own for other organisations.
    number = models.CharField(_("nummer"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.KOMMUNE)
    county = models.CharField(_("fylke"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("innbyggere"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("innbyggertall per år"), null=True, blank=True
    )

    class Meta:
        ordering = ["kind", "number"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")

    def __str__(self) -> str:
        return self.name

    def size_class(self, boundaries: tuple[int, int] = DEFAULT_BOUNDARIES) -> str | None:
        if self.kind != self.Kind.KOMMUNE:
            return None
        return size_class(self.population, boundaries)
