"""Back-office forms. Each takes its scope (the survey) and narrows every queryset."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kartlegging.core.forms import DsForm, DsModelForm
from kartlegging.core.models import audit
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
SHOW_MUNICIPALITIES = "vis-kommuner"  # the value of the «Vis kommunene» button
# Sent by the page with the county picker: its ticks are the whole choice. A POST without it
# (a script, an older page) leaves the survey's municipalities as they are.
PICKER_SHOWN = "kommunevalg"


class SurveyForm(DsModelForm):
    """A survey's settings and the organisations it asks.

    The organisations are picked by county: ticking a county and pressing «Vis kommunene»
    shows its municipalities, all ticked, to take away those that are not to be asked. Works
    without JavaScript: the button posts the form, which comes back with the list (and no
    errors yet). A county saved without being shown brings all its municipalities.
    """

    counties = forms.MultipleChoiceField(
        label=_lazy("Fylker"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy(
            "Velg fylket og trykk «Vis kommunene»: alle kommunene i fylket blir krysset av, og "
            "du kan ta bort dem som ikke skal være med. Lagrer du uten å vise kommunene, blir "
            "alle kommunene i fylket med."
        ),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_lazy("Kommuner"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.KOMMUNE),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_municipalities = forms.BooleanField(
        label=_lazy("Alle kommuner i registeret"), required=False
    )
    others = forms.ModelMultipleChoiceField(
        label=_lazy("Helseforetak og andre organisasjoner"),
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.KOMMUNE),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy(
            "Det regionale helseforetaket kommer ikke med av seg selv: kryss det av her, eller "
            "skriv det inn nedenfor hvis det ikke står i registeret."
        ),
    )
    new_hospital = forms.CharField(
        label=_lazy("Helseforetak som ikke står i registeret"),
        required=False,
        max_length=Organisation._meta.get_field("name").max_length,
        help_text=_lazy(
            "Navnet, for eksempel «Sykehuset i Vestfold HF». Det legges til i registeret som "
            "helseforetak og blir med i kartleggingen."
        ),
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
            "questionnaire": _lazy(
                "Den nyeste versjonen av hvert skjema. Et tilpasset skjema lager du under "
                "«Spørreskjemaer» og tar i bruk der."
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
        if self.instance.pk and "counties" not in self.initial:
            current = self.instance.organisations.filter(kind=Organisation.Kind.KOMMUNE)
            self.initial["counties"] = sorted({o.county for o in current if o.county})
            self.initial["municipalities"] = [o.pk for o in current]
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
            data.get("counties")
            or data.get("all_municipalities")
            or data.get("others")
            or data.get("new_hospital")
        ):
            self.add_error(
                "counties", _("Velg minst ett fylke, alle kommuner eller en annen organisasjon.")
            )
        return data

    def clean_new_hospital(self):
        return " ".join(self.cleaned_data.get("new_hospital", "").split())

    # ------------------------------------------------------------------ the county picker

    def wants_municipalities(self) -> bool:
        """Was «Vis kommunene» pressed (rather than «Lagre»)?"""
        return self.is_bound and self.data.get("handling") == SHOW_MUNICIPALITIES

    def with_municipalities(self) -> SurveyForm:
        """The form again with what was typed and the chosen counties' municipalities ticked;
        unbound, so nothing is refused before the user has pressed «Lagre»."""
        initial = {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
            if not field.disabled
        }
        counties = self.chosen_counties()
        initial["counties"] = counties
        initial["municipalities"] = sorted(self._selected(counties, self._ticked()))
        return SurveyForm(initial=initial, instance=self.instance if self.instance.pk else None)

    def chosen_counties(self) -> list[str]:
        """The ticked counties that exist, in the order they are listed."""
        if self.is_bound:
            field = self.fields["counties"]
            chosen = field.widget.value_from_datadict(self.data, self.files, "counties")
        else:
            chosen = self.initial.get("counties") or []
        choices = getattr(self.fields["counties"], "choices", [])
        return [county for county, _label in choices if county in chosen]

    def municipality_groups(self) -> list[dict]:
        """The municipalities of each chosen county, with those to be asked ticked."""
        counties = self.chosen_counties()
        selected = self._selected(counties, self._ticked())
        groups: dict[str, list[dict]] = {county: [] for county in counties}
        for organisation in Organisation.objects.filter(
            kind=Organisation.Kind.KOMMUNE, county__in=counties
        ).order_by("number"):
            groups[organisation.county].append(
                {"organisation": organisation, "checked": organisation.pk in selected}
            )
        return [{"county": county, "municipalities": rows} for county, rows in groups.items()]

    def _ticked(self) -> set[int]:
        if self.is_bound:
            field = self.fields["municipalities"]
            raw = field.widget.value_from_datadict(self.data, self.files, "municipalities")
        else:
            raw = self.initial.get("municipalities") or []
        return {int(value) for value in raw if str(value).isdigit()}

    @staticmethod
    def _selected(counties: list[str], ticked: set[int]) -> set[int]:
        """The ticked municipalities of the counties; a county none of whose municipalities
        is ticked counts with all of them, since it was ticked but not yet shown."""
        in_county: dict[str, set[int]] = {county: set() for county in counties}
        for pk, county in Organisation.objects.filter(
            kind=Organisation.Kind.KOMMUNE, county__in=counties
        ).values_list("pk", "county"):
            in_county[county].add(pk)
        selected: set[int] = set()
        for members in in_county.values():
            selected |= (members & ticked) or members
        return selected

    def chosen_organisations(self, actor=None):
        """The organisations the form asks for (the current ones when the form had no
        picker, as a form posted by a script may not). A hospital trust typed in is added
        to the registry here, with an audit entry."""
        data = self.cleaned_data
        municipalities = Organisation.objects.filter(kind=Organisation.Kind.KOMMUNE)
        if data.get("all_municipalities"):
            chosen = set(municipalities)
        elif data.get("counties") or self.data.get(PICKER_SHOWN):
            ticked = {organisation.pk for organisation in data.get("municipalities") or []}
            chosen = set(
                municipalities.filter(pk__in=self._selected(data.get("counties") or [], ticked))
            )
        elif self.instance.pk:
            chosen = set(self.instance.organisations.filter(kind=Organisation.Kind.KOMMUNE))
        else:
            chosen = set()
        chosen |= set(data.get("others") or [])
        if data.get("new_hospital"):
            chosen.add(self._hospital(data["new_hospital"], data.get("counties") or [], actor))
        return chosen

    def _hospital(self, name: str, counties: list[str], actor) -> Organisation:
        existing = Organisation.objects.filter(
            kind=Organisation.Kind.HELSEFORETAK, name__iexact=name
        ).first()
        if existing:
            return existing
        organisation = Organisation.objects.create(
            number=_hospital_number(name),
            name=name,
            kind=Organisation.Kind.HELSEFORETAK,
            county=counties[0] if len(counties) == 1 else "",
        )
        audit(
            "organisation.added",
            actor,
            self.instance if self.instance.pk else None,
            number=organisation.number,
            name=organisation.name,
        )
        return organisation


def _hospital_number(name: str) -> str:
    """An id of our own for a hospital trust typed in: «HF-SYKEHUSET-I-VESTF»."""
    limit = Organisation._meta.get_field("number").max_length or 20
    base = ("HF-" + slugify(name).upper())[:limit].rstrip("-") or "HF"
    number, n = base, 2
    while Organisation.objects.filter(number=number).exists():
        suffix = f"-{n}"
        number, n = base[: limit - len(suffix)] + suffix, n + 1
    return number


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
        label=_lazy("CSV- eller Excel-fil"),
        help_text=_lazy(
            "Kolonnene navn, epost, rolle og organisasjon (organisasjonsnummer eller navn). "
            "CSV i UTF-8 med komma eller semikolon, eller Excel (.xlsx, første ark)."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
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
