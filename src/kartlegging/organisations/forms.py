"""The registry import form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kartlegging.core.forms import DsForm

MAX_UPLOAD = 10 * 1024 * 1024  # table 07459 for every municipality is about 16 kB


class OrganisationImportForm(DsForm):
    file = forms.FileField(
        label=_lazy("Fil"),
        help_text=_lazy(
            "JSON-stat2 eller CSV fra SSBs tabell 07459, eller en egen tabell som CSV (UTF-8) "
            "eller Excel (.xlsx) med kolonnene nummer, navn, type, innbyggere og fylke. "
            "Høyst 10 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".json,.csv,.xlsx"}),
    )
    year = forms.IntegerField(
        label=_lazy("År for innbyggertallene"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_lazy(
            "Bare for en egen tabell: året innbyggertallene gjelder (1. januar). Filer fra SSB "
            "har året i seg."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Filen er større enn 10 MB."))
        return upload
