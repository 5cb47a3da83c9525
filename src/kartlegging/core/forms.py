"""Django forms rendered with Designsystemet markup and accessible error wiring."""

from __future__ import annotations

from django import forms

from kartlegging.core.text import control_character_refusal


class DsForm(forms.Form):
    """Adds ds- classes, aria-describedby and aria-invalid to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            described = []
            if field.help_text:
                described.append(f"id_{name}-hjelp")
            described.append(f"id_{name}-feil")
            if not isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                widget.attrs.setdefault("class", "ds-input")
            widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        self._refuse_control_characters()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def _refuse_control_characters(self) -> None:
        """No text field stores control characters; line breaks only in multi-line fields."""
        for name, value in list(getattr(self, "cleaned_data", {}).items()):
            field = self.fields.get(name)
            if not isinstance(value, str) or field is None:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            if refusal := control_character_refusal(value, multiline=multiline):
                self.add_error(name, refusal)


class DsModelForm(DsForm, forms.ModelForm):
    """The same Designsystemet wiring for model forms."""
