"""The leader's parts of the report: the summary text and the logo on the cover."""

from __future__ import annotations

import io

from django import forms
from django.utils.translation import gettext_lazy as _

from kartlegging.core.forms import DsForm

SUMMARY_MAX = 12_000  # characters; two A4 pages hold about 6 000
SUMMARY_LONG = 6_000
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000  # refuse decompression bombs before decoding
LOGO_BOX = (800, 300)  # the cover never shows it larger


class SummaryForm(DsForm):
    summary = forms.CharField(
        label=_("Sammendrag"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Tom linje mellom avsnitt. En linje som begynner med «- » blir et kulepunkt. "
            "Teksten brukes i PDF, Word og nettsiden. Hold den under to sider (omtrent 6 000 "
            "tegn)."
        ),
    )


class LogoForm(DsForm):
    logo = forms.FileField(
        label=_("Logo på forsiden"),
        help_text=_("PNG eller JPEG, høyst 2 MB. Den vises høyst 8 cm bred."),
    )

    def clean_logo(self) -> bytes:
        """The upload as a clean PNG: decoded, shrunk to the cover's box, metadata dropped."""
        from PIL import Image, UnidentifiedImageError

        upload = self.cleaned_data["logo"]
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Filen er større enn 2 MB."))
        data = upload.read()
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ("PNG", "JPEG"):
                    raise forms.ValidationError(_("Logoen må være et PNG- eller JPEG-bilde."))
                if probe.width * probe.height > LOGO_MAX_PIXELS:
                    raise forms.ValidationError(_("Bildet har for mange piksler."))
                probe.load()
                image = probe.convert("RGBA")
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
            raise forms.ValidationError(
                _("Filen er ikke et bilde vi kan lese. Bruk PNG eller JPEG.")
            ) from None
        image.thumbnail(LOGO_BOX)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
