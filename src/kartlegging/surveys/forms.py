"""Back-office forms. Each takes its scope (the survey) and narrows every queryset."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kartlegging.core.forms import DsForm, DsModelForm
from kartlegging.core.text import is_digits
from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.surveys import handover
from kartlegging.surveys.models import Respondent, Survey


def latest_questionnaires():
    """The newest version of each questionnaire key."""
    newest = {}
    for version in QuestionnaireVersion.objects.order_by("key", "-version"):
        newest.setdefault(version.key, version.pk)
    return QuestionnaireVersion.objects.filter(pk__in=newest.values()).order_by("title")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# /kartlegginger/<slug>/ would be hidden behind these pages (surveys/urls.py).
RESERVED_SLUGS = {"ny"}


class SurveyForm(DsModelForm):
    counties = forms.MultipleChoiceField(
        label=_lazy("Kommuner fra fylke"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy(
            "Alle kommunene i de valgte fylkene blir med. Velg ingen for å beholde dagens utvalg."
        ),
    )
    all_municipalities = forms.BooleanField(
        label=_lazy("Alle kommuner i registeret"), required=False
    )
    others = forms.ModelMultipleChoiceField(
        label=_lazy("Helseforetak og andre organisasjoner"),
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.KOMMUNE),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Survey
        fields = [
            "title",
            "slug",
            "questionnaire",
            "hospital_questionnaire",
            "deadline",
            "size_lower",
            "size_upper",
            "owner_name",
            "contact_email",
            "reminder_interval_days",
            "reminder_schedule",
            "handover_domains",
            "retention_months",
        ]
        widgets = {
            "deadline": DateInput(),
            "handover_domains": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "slug": _lazy(
                "Kort navn uten mellomrom, brukt i adresser og kommandoer, f.eks. vestfold-2026."
            ),
            "size_lower": _lazy("Kommuner under dette innbyggertallet regnes som små."),
            "size_upper": _lazy("Kommuner med minst så mange innbyggere regnes som store."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counties = (
            Organisation.objects.filter(kind=Organisation.Kind.KOMMUNE)
            .exclude(county="")
            .values_list("county", flat=True)
            .distinct()
            .order_by("county")
        )
        self.fields["counties"].choices = [(c, c) for c in counties]
        self.fields["questionnaire"].queryset = latest_questionnaires()
        self.fields["hospital_questionnaire"].queryset = latest_questionnaires()
        if self.instance.pk and not self.instance.handover_domains:
            current = handover.allowed_domains(self.instance)
            if current:
                shown = ", ".join(current[:10]) + (" …" if len(current) > 10 else "")
                field = self.fields["handover_domains"]
                field.help_text = "{} {}".format(
                    field.help_text, _("Nå gjelder: %(domains)s.") % {"domains": shown}
                )
        if self.instance.pk:
            self.fields["others"].initial = self.instance.organisations.exclude(
                kind=Organisation.Kind.KOMMUNE
            )
            if self.instance.state != Survey.State.DRAFT:
                # Open surveys keep the questionnaire version they were opened with.
                for name in ("questionnaire", "hospital_questionnaire", "slug"):
                    self.fields[name].disabled = True

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("«%(slug)s» er et ord adressene bruker selv. Velg et annet kortnavn.")
                % {"slug": slug}
            )
        return slug

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        today = timezone.localdate()
        if deadline and deadline < today and "deadline" in self.changed_data:
            raise forms.ValidationError(
                _("Svarfristen %(date)s er allerede passert. Velg en dato fra i dag (%(today)s).")
                % {"date": deadline.strftime("%d.%m.%Y"), "today": today.strftime("%d.%m.%Y")}
            )
        return deadline

    def clean_handover_domains(self):
        domains = handover.parse_domains(self.cleaned_data.get("handover_domains", ""))
        for domain in domains:
            if not handover.is_domain(domain):
                raise forms.ValidationError(
                    _(
                        "«%(value)s» er ikke et e-postdomene. Skriv domener som "
                        "horten.kommune.no, skilt med komma eller linjeskift."
                    )
                    % {"value": domain}
                )
        return ", ".join(domains)

    def clean(self):
        data = super().clean()
        lower, upper = data.get("size_lower"), data.get("size_upper")
        if lower is not None and upper is not None and not 0 < lower < upper:
            self.add_error("size_upper", _("Må være større enn grensen for små kommuner."))
        schedule = data.get("reminder_schedule", "")
        parts = [p.strip() for p in schedule.split(",") if p.strip()]
        if any(not is_digits(p, max_length=4) for p in parts):
            self.add_error("reminder_schedule", _("Skriv hele dager skilt med komma, f.eks. 7,3."))
        creating = not self.instance.pk
        if creating and not (
            data.get("counties") or data.get("all_municipalities") or data.get("others")
        ):
            self.add_error(
                "counties", _("Velg minst ett fylke, alle kommuner eller en annen organisasjon.")
            )
        return data

    def chosen_organisations(self):
        """The organisations the form asks for, or None to keep the current ones."""
        data = self.cleaned_data
        municipalities = Organisation.objects.filter(kind=Organisation.Kind.KOMMUNE)
        if data.get("all_municipalities"):
            chosen = set(municipalities)
        elif data.get("counties"):
            chosen = set(municipalities.filter(county__in=data["counties"]))
        elif self.instance.pk:
            chosen = set(self.instance.organisations.filter(kind=Organisation.Kind.KOMMUNE))
        else:
            chosen = set()
        return chosen | set(data.get("others") or [])


class RespondentForm(DsModelForm):
    class Meta:
        model = Respondent
        fields = ["name", "email", "role", "organisation"]

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["organisation"].queryset = survey.organisations.order_by("kind", "name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = self.survey.respondents.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("%(email)s er allerede respondent i kartleggingen.") % {"email": email}
            )
        return email


class EmailTextsForm(DsModelForm):
    class Meta:
        model = Survey
        fields = ["invitation_text", "reminder_text"]
        widgets = {
            "invitation_text": forms.Textarea(attrs={"rows": 6}),
            "reminder_text": forms.Textarea(attrs={"rows": 5}),
        }


class ImportForm(DsForm):
    file = forms.FileField(
        label=_lazy("CSV-fil"),
        help_text=_lazy(
            "Kolonnene navn,epost,rolle,organisasjon (organisasjonsnummer eller "
            "navn). UTF-8, komma eller semikolon."
        ),
    )


class HandOnForm(DsForm):
    """The colleague to hand on to. The limits (surveys/handover.py) keep it from being a relay."""

    name = forms.CharField(label=_lazy("Kollegaens navn"), max_length=200)
    email = forms.EmailField(label=_lazy("Kollegaens e-postadresse (jobb)"))
    role = forms.CharField(label=_lazy("Kollegaens rolle"), max_length=200, required=False)
    message = forms.CharField(
        label=_lazy("Kort beskjed til kollegaen"),
        required=False,
        max_length=handover.NOTE_MAX_LENGTH,
        help_text=_lazy("Høyst 500 tegn, vanlig tekst uten lenker."),
        error_messages={
            "max_length": _lazy(
                "Beskjeden kan være høyst %(limit_value)d tegn (nå er den %(show_value)d)."
            )
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, respondent: Respondent, **kwargs):
        self.respondent = respondent
        self.domains = handover.allowed_domains(respondent.survey)
        super().__init__(*args, **kwargs)
        if self.domains:
            own = respondent.email.rsplit("@", 1)[-1].lower()
            example = own if handover.domain_allowed(respondent.email, self.domains) else None
            self.fields["email"].help_text = _("Bare jobbadresser, f.eks. navn@%(domain)s.") % {
                "domain": example or self.domains[0]
            }
            # DsForm wires aria-describedby from the help text it saw; this one came later.
            self.fields["email"].widget.attrs["aria-describedby"] = "id_email-hjelp id_email-feil"

    def _plain(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        if handover.has_link(value):
            raise forms.ValidationError(handover.link_refusal())
        return value

    def clean_name(self):
        return self._plain("name")

    def clean_role(self):
        return self._plain("role")

    def clean_message(self):
        return self._plain("message")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email == self.respondent.email.lower():
            raise forms.ValidationError(_("Skriv e-postadressen til kollegaen, ikke din egen."))
        if not handover.domain_allowed(email, self.domains):
            raise forms.ValidationError(handover.domain_refusal(self.respondent, self.domains))
        if self.respondent.survey.respondents.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("%(email)s er allerede invitert til kartleggingen.") % {"email": email}
            )
        return email
