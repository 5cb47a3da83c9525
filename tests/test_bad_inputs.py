"""Bad inputs against every form and import, as a security review (OWASP ASVS L2, V5/V13) does.

Each case is one test id. What a user should get for a bad input: never a 500; a 4xx or the
form again with a Norwegian message beside the field; nothing stored; their text escaped in
the HTML; nothing in a CSV/XLSX export that a spreadsheet runs as a formula.

Cases where the app is wrong today are `xfail(strict=True)` with a reason starting
«DEFECT:», so a fix turns them into failures that ask for the mark to be removed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import signal
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core import mail as outbox
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from kartlegging.core.models import AuditEntry, audit
from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import QuestionnaireVersion, load_questionnaire
from kartlegging.recommendations.models import FindingDecision, RuleParameter
from kartlegging.reports.models import ReportFile
from kartlegging.responses import followup
from kartlegging.responses.models import Answer, Response
from kartlegging.responses.services import open_response, save_answers, submit
from kartlegging.surveys.models import Membership, Respondent, Survey
from tests.conftest import ROOT, invite
from tests.reports.conftest import answered

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
XSS = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ['=HYPERLINK("http://x")', "+cmd", "-1+1", "@SUM(A1)"]
FORMULA_STARTS = ("=", "+", "-", "@")
HUGE = 3 * 1024 * 1024  # above DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
CONTROL = "usynlig kontrolltegn som ikke kan lagres"
ONE_LINE = "Skriv teksten på én linje, uten linjeskift."
NULL = "Null-tegn er ikke tillatt."
# Where the app should refuse but does not yet, any wording of the refusal will do: the
# status and the database decide.
ANY_MESSAGE = ""
TOO_BIG = "For mye på én gang"
EXPIRED = "Siden er utløpt"


def defect(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"DEFECT: {reason}")


def text(reply) -> str:
    """The page as the user reads it (entities decoded), for finding messages."""
    return html.unescape(reply.content.decode())


def assert_no_raw_markup(reply) -> None:
    """User-supplied markup must only ever come back escaped."""
    body = reply.content.decode(errors="replace")
    assert XSS not in body
    assert "<img src=x" not in body


def refused(reply, message: str, status: int = 422) -> None:
    assert reply.status_code == status, reply.status_code
    assert message in text(reply)
    assert_no_raw_markup(reply)


@pytest.fixture
def leader(as_):
    return as_("leder")


# =========================================================================== respondent answers

# (section, question, posted values, the message beside the field)
ANSWER_CASES = [
    # enkeltvalg
    ("bakgrunn", "respondent_rolle", ["sjef"], "Velg et av alternativene."),
    ("bakgrunn", "respondent_rolle", [XSS], "Velg et av alternativene."),
    ("bakgrunn", "respondent_rolle", ["kreftkoordinator", "annet"], "Velg bare ett svar."),
    # ja_nei with «Vet ikke»: still one answer only
    ("organisering", "koord_finnes", ["kanskje"], "Velg et av alternativene."),
    ("organisering", "koord_finnes", ["ja", "nei"], "Velg bare ett svar."),
    ("organisering", "koord_finnes", ["ja", "vet_ikke"], "Velg bare ett svar."),
    # heltall 0–1000
    ("organisering", "koord_stilling_pct", ["abc"], "Skriv et tall, for eksempel 40."),
    ("organisering", "koord_stilling_pct", ["1e309"], "Skriv et tall, for eksempel 40."),
    ("organisering", "koord_stilling_pct", ["NaN"], "Skriv et tall, for eksempel 40."),
    ("organisering", "koord_stilling_pct", ["Infinity"], "Skriv et tall, for eksempel 40."),
    ("organisering", "koord_stilling_pct", ["0x10"], "Skriv et tall, for eksempel 40."),
    ("organisering", "koord_stilling_pct", [IMG], "Skriv et tall, for eksempel 40."),
    ("organisering", "koord_stilling_pct", ["-5"], "Skriv et tall mellom 0 og 1\u00a0000"),
    ("organisering", "koord_stilling_pct", ["1001"], "Skriv et tall mellom 0 og 1\u00a0000"),
    ("organisering", "koord_stilling_pct", ["9" * 10_000], "Skriv et tall mellom 0 og 1\u00a0000"),
    ("organisering", "koord_stilling_pct", ["1,5"], "Skriv et helt tall, uten desimaler."),
    ("organisering", "koord_stilling_pct", ["1", "2"], "Velg bare ett svar."),
    # desimaltall 0–2
    ("organisering", "enhet_pleiefaktor_dag", ["NaN"], "Skriv et tall, for eksempel 40."),
    ("organisering", "enhet_pleiefaktor_dag", ["1e309"], "Skriv et tall, for eksempel 40."),
    ("organisering", "enhet_pleiefaktor_dag", ["inf"], "Skriv et tall, for eksempel 40."),
    ("organisering", "enhet_pleiefaktor_dag", ["1,5e3"], "Skriv et tall, for eksempel 40."),
    ("organisering", "enhet_pleiefaktor_dag", ["1.2.3"], "Skriv et tall, for eksempel 40."),
    ("organisering", "enhet_pleiefaktor_dag", ["-0,5"], "Skriv et tall mellom 0 og 2."),
    ("organisering", "enhet_pleiefaktor_dag", ["2,5"], "Skriv et tall mellom 0 og 2."),
    # flervalg with an exclusive «Ingen»
    ("organisering", "ident_verktoy", ["ukjent"], "Velg blant alternativene."),
    ("organisering", "ident_verktoy", ["spict", XSS], "Velg blant alternativene."),
    (
        "organisering",
        "ident_verktoy",
        ["ingen", "spict"],
        "«Ingen» kan ikke kombineres med andre svar.",
    ),
    # skala4 with «Vet ikke»
    ("kompetanse", "samarbeid_fastlege", ["vet_ikke", "stor"], "Velg bare ett svar."),
    ("kompetanse", "samarbeid_fastlege", ["svært stor"], "Velg et av alternativene."),
    # dato
    ("kompetanse", "fagdag_dato", ["2026-02-30"], "Skriv datoen som åååå-mm-dd"),
    ("kompetanse", "fagdag_dato", ["i går"], "Skriv datoen som åååå-mm-dd"),
    ("kompetanse", "fagdag_dato", ["15.03.2026"], "Skriv datoen som åååå-mm-dd"),
    ("kompetanse", "fagdag_dato", ["2026-13-01"], "Skriv datoen som åååå-mm-dd"),
    ("kompetanse", "fagdag_dato", ["99999-01-01"], "Skriv datoen som åååå-mm-dd"),
    # kort_tekst: no control characters, no line breaks, at most 500
    ("bakgrunn", "respondent_rolle_annet", ["Lege\x00"], CONTROL),
    ("bakgrunn", "respondent_rolle_annet", ["Lege\x07"], CONTROL),
    ("bakgrunn", "respondent_rolle_annet", ["\x1b[31mLege"], CONTROL),
    ("bakgrunn", "respondent_rolle_annet", ["Lege\nog prest"], ONE_LINE),
    ("bakgrunn", "respondent_rolle_annet", ["x" * 501], "lengre enn 500 tegn (den er 501)"),
    ("bakgrunn", "respondent_rolle_annet", ["x" * 10_000], "(den er 10\u00a0000)"),
    # lang_tekst: tab and line breaks are fine, other control characters are not
    ("kompetanse", "kompetanse_utdyp", ["Tekst\x00"], CONTROL),
    ("kompetanse", "kompetanse_utdyp", ["Tekst\x07"], CONTROL),
    ("kompetanse", "kompetanse_utdyp", ["\x1b[2J"], CONTROL),
    ("kompetanse", "kompetanse_utdyp", ["x" * 10_001], "lengre enn 10\u00a0000 tegn"),
]


def _case_id(case) -> str:
    _section, key, values, _message = case
    shown = repr(values[0][:12]) + (f"×{len(values[0])}" if len(values[0]) > 12 else "")
    return f"{key}-{shown}" + (f"+{len(values) - 1}" if len(values) > 1 else "")


@pytest.mark.parametrize("case", ANSWER_CASES, ids=[_case_id(c) for c in ANSWER_CASES])
def test_bad_answer_is_refused_beside_the_field(client, invited, case):
    section, key, values, message = case
    url = invited.url(f"del/{section}/")
    # Without JavaScript: the whole section is posted; all or nothing.
    reply = client.post(url, {key: values})
    refused(reply, message)
    assert "aria-invalid" in reply.content.decode()
    # With htmx: one question autosaved.
    reply = client.post(url, {"_sporsmal": key, key: values}, **HTMX)
    refused(reply, message)
    assert "se feilen ved spørsmålet" in text(reply)
    assert not Answer.objects.exists()


def test_vet_ikke_with_another_option_is_refused_in_the_real_questionnaire(client, horten):
    # The national questionnaire adds «Vet ikke» as an exclusive option to its flervalg.
    source = (ROOT / "questionnaires" / "palliasjon-kommune.yaml").read_text(encoding="utf-8")
    version, _created = load_questionnaire(source)
    survey = Survey.objects.create(slug="nasjonal", title="Nasjonal", questionnaire=version)
    survey.organisations.set([horten])
    survey.open()
    invited = invite(survey, horten)
    url = invited.url("del/helhetlig_identifisering/")
    reply = client.post(
        url, {"_sporsmal": "ident_verktoy", "ident_verktoy": ["spict", "vet_ikke"]}, **HTMX
    )
    refused(reply, "«Vet ikke» kan ikke kombineres med andre svar.")
    assert not Answer.objects.exists()


def test_tab_and_line_breaks_are_kept_in_long_text(client, invited):
    # The control-character rule must not refuse what people really type in a text box.
    value = "Første linje\r\n\tinnrykket linje"
    reply = client.post(invited.url("del/kompetanse/"), {"kompetanse_utdyp": value})
    assert reply.status_code == 302
    assert (
        Answer.objects.get(question_key="kompetanse_utdyp").value
        == "Første linje\n\tinnrykket linje"
    )


@pytest.mark.parametrize("markup", [XSS, IMG])
def test_markup_in_an_answer_is_stored_as_text_and_shown_escaped(client, invited, leader, markup):
    reply = client.post(
        invited.url("del/bakgrunn/"),
        {"respondent_rolle": "annet", "respondent_rolle_annet": markup},
    )
    assert reply.status_code == 302
    assert Answer.objects.get(question_key="respondent_rolle_annet").value == markup
    for page in (
        client.get(invited.url("del/bakgrunn/")),  # back in the input's value attribute
        client.get(invited.url("oppsummering/")),
        leader.get(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/"),
    ):
        assert page.status_code == 200
        assert_no_raw_markup(page)
        assert escape(markup) in page.content.decode()


def test_markup_in_questionnaire_texts_is_escaped_on_the_respondent_page(client, horten):
    # Questionnaire files come from a project leader; still only text, never markup.
    source = f"""
nokkel: markup
tittel: "Skjema {XSS}"
seksjoner:
  - nokkel: del1
    tittel: "Del {XSS}"
    tema: bakgrunn
    sporsmal:
      - nokkel: valg
        tekst: "Spørsmål {XSS}"
        hjelpetekst: '{IMG}'
        type: enkeltvalg
        alternativer:
          - {{kode: a, tekst: "Alternativ {XSS}"}}
          - {{kode: b, tekst: B}}
"""
    version, _created = load_questionnaire(source)
    survey = Survey.objects.create(slug="markup", title="M", questionnaire=version)
    survey.organisations.set([horten])
    survey.open()
    invited = invite(survey, horten)
    page = client.get(invited.url("del/del1/"))
    assert page.status_code == 200
    assert_no_raw_markup(page)
    assert "Spørsmål &lt;script&gt;" in page.content.decode()


# --------------------------------------------------------------------------- respondent requests


def test_autosave_for_an_unknown_question_is_400(client, invited):
    reply = client.post(invited.url("del/organisering/"), {"_sporsmal": XSS, XSS: "1"}, **HTMX)
    refused(reply, "Ukjent spørsmål.", status=400)
    assert not Answer.objects.exists()


def test_autosave_for_a_question_of_another_section_is_400(client, invited):
    data = {"_sporsmal": "respondent_rolle", "respondent_rolle": "annet"}
    reply = client.post(invited.url("del/organisering/"), data, **HTMX)
    refused(reply, "Ukjent spørsmål.", status=400)
    assert not Answer.objects.exists()


def test_autosave_without_a_question_is_400(client, invited):
    reply = client.post(invited.url("del/organisering/"), {"koord_finnes": "ja"}, **HTMX)
    refused(reply, "Ukjent spørsmål.", status=400)


def test_autosave_claiming_an_impossible_version_is_a_conflict(client, invited):
    data = {"_sporsmal": "koord_finnes", "koord_finnes": "ja", "_v_koord_finnes": "-1"}
    reply = client.post(invited.url("del/organisering/"), data, **HTMX)
    refused(reply, "Svaret ble endret i et annet vindu")
    assert not Answer.objects.exists()


@pytest.mark.parametrize("section", [XSS, "finnes-ikke", "..", "%00"])
def test_unknown_section_is_404(client, invited, section):
    reply = client.get(invited.url(f"del/{section}/"))
    assert reply.status_code == 404
    assert_no_raw_markup(reply)


@pytest.mark.parametrize("token", ["%00", "a" * 100, "%3Cscript%3E", "..%2F..%2Fetc", "x" * 31])
def test_malformed_link_is_404_not_500(client, survey, token):
    reply = client.get(f"/s/{token}/")
    assert reply.status_code == 404
    assert_no_raw_markup(reply)


@pytest.mark.parametrize(
    "method, suffix",
    [("put", "del/organisering/"), ("delete", "del/organisering/"), ("get", "send-inn/"),
     ("patch", "gi-videre/")],
)  # fmt: skip
def test_wrong_method_is_405(client, invited, method, suffix):
    assert getattr(client, method)(invited.url(suffix)).status_code == 405


@pytest.mark.parametrize(
    "suffix, data",
    [
        ("del/organisering/", {"koord_finnes": "ja"}),
        ("send-inn/", {}),
        ("gi-videre/", {"name": "Ola", "email": "ola@horten.example"}),
    ],
)
def test_respondent_post_without_csrf_token_is_403(invited, suffix, data):
    strict = Client(enforce_csrf_checks=True)
    reply = strict.post(invited.url(suffix), data)
    refused(reply, EXPIRED, status=403)
    assert not Answer.objects.exists()
    assert Respondent.objects.count() == 1
    assert not Response.objects.filter(status=Response.Status.SUBMITTED).exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_huge_answer_body_is_413(client, invited, htmx):
    data = {"_sporsmal": "kompetanse_utdyp", "kompetanse_utdyp": "x" * HUGE}
    reply = client.post(invited.url("del/kompetanse/"), data, **(HTMX if htmx else {}))
    refused(reply, TOO_BIG, status=413)
    assert not Answer.objects.exists()


def test_too_many_fields_is_413(client, invited):
    data = {f"felt{i}": "1" for i in range(1_100)}  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1000
    refused(client.post(invited.url("del/organisering/"), data), TOO_BIG, status=413)


@pytest.mark.parametrize(
    "content_type, body",
    [
        pytest.param(
            "application/json",
            '{"koord_finnes": "nei"}',
        ),
        pytest.param(
            "text/plain",
            "koord_finnes=nei",
        ),
    ],
)
def test_wrong_content_type_changes_nothing(client, invited, content_type, body):
    response = open_response(invited.respondent)
    questionnaire = invited.respondent.survey.questionnaire.definition
    assert save_answers(response, questionnaire, {"koord_finnes": ["ja"]}).ok
    reply = client.post(invited.url("del/organisering/"), body, content_type=content_type)
    assert reply.status_code in (400, 415, 422)
    assert Answer.objects.get(question_key="koord_finnes").value == "ja"


# =========================================================================== hand on to a colleague

COLLEAGUE = {"name": "Ola Kollega", "email": "ola@horten.example", "role": "Lege", "message": "Hei"}

HAND_ON_CASES = [
    pytest.param({"name": ""}, "Feltet er påkrevet.", id="name-empty"),
    pytest.param({"name": "O" * 201}, "200 eller færre tegn (den har nå 201)", id="name-201"),
    pytest.param({"name": "Ola\x00"}, NULL, id="name-NUL"),
    pytest.param({"name": "Ola\x07"}, ANY_MESSAGE, id="name-BEL"),
    pytest.param({"name": "\x1b[31mOla"}, ANY_MESSAGE, id="name-ESC"),
    pytest.param({"name": "Ola\nKlikk her"}, ANY_MESSAGE, id="name-newline"),
    pytest.param({"role": "Lege\x1b"}, ANY_MESSAGE, id="role-ESC"),
    pytest.param({"message": "Hei\x07"}, ANY_MESSAGE, id="message-BEL"),
    pytest.param({"message": "x" * 501}, "høyst 500 tegn (nå er den 501)", id="message-501"),
    pytest.param({"message": "x" * 10_000}, "høyst 500 tegn", id="message-10000"),
    pytest.param({"message": "Se https://x.example"}, "uten lenker", id="message-link"),
    pytest.param({"name": "www.x.example"}, "uten lenker", id="name-link"),
    pytest.param({"email": "ikke-en-adresse"}, "Oppgi en gyldig e-postadresse", id="email-bad"),
    pytest.param({"email": IMG}, "Oppgi en gyldig e-postadresse", id="email-markup"),
    pytest.param({"email": "ola\x00@horten.example"}, NULL, id="email-NUL"),
    pytest.param(
        {"email": "ola@gmail.com"}, "jobbadresse som slutter på @horten", id="email-domain"
    ),
    pytest.param({"email": "kari@horten.example"}, "ikke din egen", id="email-own"),
]


@pytest.mark.parametrize("change, message", HAND_ON_CASES)
def test_bad_hand_on_is_refused_and_nobody_is_invited(client, invited, change, message):
    reply = client.post(invited.url("gi-videre/"), COLLEAGUE | change)
    refused(reply, message)
    assert Respondent.objects.count() == 1
    assert not outbox.outbox


def test_markup_in_a_colleagues_name_is_escaped_on_pages_and_in_the_email(client, invited):
    reply = client.post(invited.url("gi-videre/"), COLLEAGUE | {"name": XSS})
    assert reply.status_code == 302
    assert_no_raw_markup(client.get(invited.url()))
    [message] = outbox.outbox
    assert XSS not in message.alternatives[0][0]  # the HTML part


# =========================================================================== staff: surveys


def survey_create_data(survey, **changes) -> dict:
    data = {
        "title": "Ny kartlegging",
        "slug": "ny-2027",
        "questionnaire": survey.questionnaire_id,
        "deadline": (timezone.localdate() + dt.timedelta(days=180)).isoformat(),
        "size_lower": "5000",
        "size_upper": "20000",
        "owner_name": "USHT",
        "contact_email": "",
        "reminder_interval_days": "5",
        "reminder_schedule": "",
        "handover_domains": "",
        "retention_months": "12",
        "counties": "Vestfold",
    }
    return data | changes


SURVEY_CASES = [
    pytest.param({"title": ""}, "Feltet er påkrevet.", id="title-empty"),
    pytest.param({"title": "T" * 301}, "300 eller færre tegn (den har nå 301)", id="title-301"),
    pytest.param({"title": "T" * 10_000}, "300 eller færre tegn", id="title-10000"),
    pytest.param({"title": "Tittel\x00"}, NULL, id="title-NUL"),
    pytest.param({"title": "Tittel\x1b"}, ANY_MESSAGE, id="title-ESC"),
    pytest.param({"owner_name": "USHT\x07"}, ANY_MESSAGE, id="owner-BEL"),
    pytest.param({"slug": XSS}, "bestående av bokstaver, nummer", id="slug-markup"),
    pytest.param({"slug": "med mellomrom"}, "bestående av bokstaver, nummer", id="slug-space"),
    pytest.param({"slug": "a" * 81}, "80 eller færre tegn (den har nå 81)", id="slug-81"),
    pytest.param({"slug": "test"}, "finnes allerede", id="slug-taken"),
    pytest.param(
        {"slug": "ny"},
        ANY_MESSAGE,
        id="slug-ny",
    ),
    pytest.param({"deadline": "2026-02-30"}, "Oppgi en gyldig dato.", id="deadline-feb30"),
    pytest.param({"deadline": "i går"}, "Oppgi en gyldig dato.", id="deadline-words"),
    pytest.param({"deadline": "99999-01-01"}, "Oppgi en gyldig dato.", id="deadline-year5"),
    pytest.param(
        {"deadline": "2020-01-01"}, "Svarfristen 01.01.2020 er allerede passert", id="deadline-past"
    ),
    pytest.param({"size_lower": "-1"}, "større enn eller lik 0", id="size-negative"),
    pytest.param({"size_lower": "1e309"}, "Oppgi et heltall.", id="size-1e309"),
    pytest.param({"size_lower": "NaN"}, "Oppgi et heltall.", id="size-NaN"),
    pytest.param({"size_lower": "abc"}, "Oppgi et heltall.", id="size-abc"),
    pytest.param(
        {"size_lower": "30000"}, "Må være større enn grensen for små kommuner.", id="size-swapped"
    ),
    pytest.param({"retention_months": "0"}, "større enn eller lik 1", id="retention-0"),
    pytest.param({"retention_months": "61"}, "mindre enn eller lik 60", id="retention-61"),
    pytest.param(
        {"reminder_interval_days": "-1"}, "større enn eller lik 0", id="interval-negative"
    ),
    pytest.param(
        {"reminder_schedule": "7,x"}, "Skriv hele dager skilt med komma", id="schedule-letter"
    ),
    pytest.param(
        {"reminder_schedule": "7,-3"}, "Skriv hele dager skilt med komma", id="schedule-negative"
    ),
    pytest.param(
        {"contact_email": "ikke-epost"}, "Oppgi en gyldig e-postadresse", id="contact-bad"
    ),
    pytest.param({"contact_email": IMG}, "Oppgi en gyldig e-postadresse", id="contact-markup"),
    pytest.param({"handover_domains": XSS}, "er ikke et e-postdomene", id="domains-markup"),
    pytest.param(
        {"handover_domains": "horten kommune"},
        "«horten» er ikke et e-postdomene",
        id="domains-word",
    ),
    pytest.param({"questionnaire": "999"}, "Velg et gyldig valg.", id="questionnaire-unknown"),
    pytest.param({"questionnaire": "abc"}, "Velg et gyldig valg.", id="questionnaire-text"),
    pytest.param({"hospital_questionnaire": "999"}, "Velg et gyldig valg.", id="hospital-unknown"),
    pytest.param(
        {"counties": "Atlantis"},
        "Atlantis er ikke et av de tilgjengelige valgene",
        id="county-unknown",
    ),
    pytest.param({"counties": XSS}, "er ikke et av de tilgjengelige valgene", id="county-markup"),
    pytest.param({"counties": "", "others": "999"}, "Velg et gyldig valg.", id="others-unknown"),
    pytest.param({"counties": ""}, "Velg minst ett fylke", id="no-organisations"),
]


@pytest.mark.parametrize("change, message", SURVEY_CASES)
def test_bad_new_survey_is_refused(leader, survey, change, message):
    reply = leader.post("/kartlegginger/ny/", survey_create_data(survey, **change))
    refused(reply, message)
    assert Survey.objects.count() == 1


def test_survey_form_as_json_stores_nothing(leader, survey):
    reply = leader.post(
        "/kartlegginger/ny/", survey_create_data(survey), content_type="application/json"
    )
    assert reply.status_code in (200, 400, 415, 422)  # the empty form again (request.POST is empty)
    assert_no_raw_markup(reply)
    assert Survey.objects.count() == 1


def test_survey_form_without_csrf_token_is_403(survey, people):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["leder"])
    refused(strict.post("/kartlegginger/ny/", survey_create_data(survey)), EXPIRED, status=403)
    assert Survey.objects.count() == 1


def test_huge_survey_form_is_413(leader, survey):
    reply = leader.post("/kartlegginger/ny/", survey_create_data(survey, title="x" * HUGE))
    refused(reply, TOO_BIG, status=413)
    assert Survey.objects.count() == 1


def settings_data(survey, **changes) -> dict:
    data = survey_create_data(survey, title=survey.title, slug=survey.slug)
    del data["counties"]  # keep the survey's organisations
    data["deadline"] = survey.deadline.isoformat()
    return data | changes


def test_open_survey_ignores_a_tampered_slug_and_questionnaire(leader, survey, mini_version):
    # The fields are disabled once open; a crafted POST must not move the survey.
    other = QuestionnaireVersion.objects.create(
        key="annet", version=1, title="Annet", source="x", sha256="0" * 64
    )
    data = settings_data(survey, slug="kapret", questionnaire=other.pk)
    assert leader.post("/kartlegginger/test/innstillinger/", data).status_code == 302
    survey.refresh_from_db()
    assert (survey.slug, survey.questionnaire_id) == ("test", mini_version.pk)


def test_settings_refuse_a_past_deadline(leader, survey):
    reply = leader.post(
        "/kartlegginger/test/innstillinger/", settings_data(survey, deadline="2021-05-17")
    )
    refused(reply, "er allerede passert")
    survey.refresh_from_db()
    assert survey.deadline.isoformat() == "2027-02-15"


def test_superscript_digit_in_reminder_schedule_is_refused_or_harmless(leader, survey):
    reply = leader.post(
        "/kartlegginger/test/innstillinger/", settings_data(survey, reminder_schedule="7,²")
    )
    if reply.status_code == 422:
        return
    followup.queue_scheduled_reminders()  # what the worker runs every round


def test_markup_in_survey_title_is_escaped_on_staff_pages(leader, survey):
    reply = leader.post("/kartlegginger/test/innstillinger/", settings_data(survey, title=XSS))
    assert reply.status_code == 302
    for url in ("/kartlegginger/", "/kartlegginger/test/", "/kartlegginger/test/resultater/"):
        page = leader.get(url)
        assert page.status_code == 200
        assert_no_raw_markup(page)


def test_email_subject_keeps_the_title_as_plain_text(leader, survey, horten):
    title = 'Helse & omsorg "2027" <Vestfold>'
    reply = leader.post("/kartlegginger/test/innstillinger/", settings_data(survey, title=title))
    assert reply.status_code == 302
    invite(survey, horten)
    followup.queue_invitations(survey)
    assert outbox.outbox[0].subject == f"Invitasjon: {title}"


# --------------------------------------------------------------------------- e-mail texts

EMAIL_TEXT_CASES = [
    pytest.param({"invitation_text": "Hei\x00"}, NULL, id="invitation-NUL"),
    pytest.param({"reminder_text": "Hei\x00"}, NULL, id="reminder-NUL"),
    pytest.param({"invitation_text": "Hei\x07"}, ANY_MESSAGE, id="invitation-BEL"),
    pytest.param({"reminder_text": "\x1b[2JHei"}, ANY_MESSAGE, id="reminder-ESC"),
]


@pytest.mark.parametrize("change, message", EMAIL_TEXT_CASES)
def test_bad_email_text_is_refused(leader, survey, change, message):
    before = (survey.invitation_text, survey.reminder_text)
    data = {"invitation_text": "Hei", "reminder_text": "Hei", "handling": "lagre"} | change
    refused(leader.post("/kartlegginger/test/e-posttekster/", data), message)
    survey.refresh_from_db()
    assert (survey.invitation_text, survey.reminder_text) == before


@pytest.mark.parametrize(
    "field",
    [
        pytest.param("invitation_text"),
        pytest.param("reminder_text"),
    ],
)
def test_markup_in_email_text_preview_is_escaped(leader, survey, field):
    data = {"invitation_text": "Hei", "reminder_text": "Hei", "handling": "forhandsvis"}
    reply = leader.post("/kartlegginger/test/e-posttekster/", data | {field: IMG})
    assert reply.status_code == 200
    assert_no_raw_markup(reply)


def test_markup_in_invitation_text_is_escaped_in_the_html_email(survey, horten):
    survey.invitation_text = XSS
    survey.save()
    invite(survey, horten)
    followup.queue_invitations(survey)
    assert XSS not in outbox.outbox[0].alternatives[0][0]


# --------------------------------------------------------------------------- respondents


def respondent_data(horten, **changes) -> dict:
    return {
        "name": "Ola Nordmann",
        "email": "ola@horten.example",
        "role": "Leder",
        "organisation": horten.pk,
    } | changes


RESPONDENT_CASES = [
    pytest.param({"name": ""}, "Feltet er påkrevet.", id="name-empty"),
    pytest.param({"name": "O" * 201}, "200 eller færre tegn (den har nå 201)", id="name-201"),
    pytest.param({"name": "O" * 10_000}, "200 eller færre tegn", id="name-10000"),
    pytest.param({"name": "Ola\x00"}, NULL, id="name-NUL"),
    pytest.param({"name": "Ola\x07"}, ANY_MESSAGE, id="name-BEL"),
    pytest.param({"name": "Ola\x1b[0m"}, ANY_MESSAGE, id="name-ESC"),
    pytest.param({"name": "Ola\nNordmann"}, ANY_MESSAGE, id="name-newline"),
    pytest.param({"role": "Leder\x07"}, ANY_MESSAGE, id="role-BEL"),
    pytest.param({"role": "R" * 201}, "200 eller færre tegn", id="role-201"),
    pytest.param({"email": "ikke-epost"}, "Oppgi en gyldig e-postadresse", id="email-bad"),
    pytest.param({"email": IMG}, "Oppgi en gyldig e-postadresse", id="email-markup"),
    pytest.param(
        {"email": "x" * 10_000 + "@h.no"}, "Oppgi en gyldig e-postadresse", id="email-10000"
    ),
    pytest.param(
        {"email": "KARI@horten.example"}, "er allerede respondent i kartleggingen", id="email-taken"
    ),
    pytest.param({"organisation": "abc"}, "Velg et gyldig valg.", id="organisation-text"),
    pytest.param({"organisation": "999999"}, "Velg et gyldig valg.", id="organisation-unknown"),
]


@pytest.mark.parametrize("change, message", RESPONDENT_CASES)
def test_bad_new_respondent_is_refused(leader, invited, horten, change, message):
    reply = leader.post("/kartlegginger/test/respondenter/ny/", respondent_data(horten, **change))
    refused(reply, message)
    assert Respondent.objects.count() == 1


def test_respondent_in_an_organisation_outside_the_survey_is_refused(leader, invited, horten):
    other = Organisation.objects.create(number="0301", name="Oslo", county="Oslo")
    url = f"/kartlegginger/test/respondenter/{invited.respondent.pk}/endre/"
    refused(
        leader.post(url, respondent_data(horten, organisation=other.pk)), "Velg et gyldig valg."
    )
    invited.respondent.refresh_from_db()
    assert invited.respondent.organisation == horten


def test_markup_in_respondent_name_is_escaped_on_staff_pages(leader, survey, horten):
    reply = leader.post(
        "/kartlegginger/test/respondenter/ny/", respondent_data(horten, name=XSS, role=IMG)
    )
    assert reply.status_code == 302
    pk = Respondent.objects.get().pk
    for url in ("/kartlegginger/test/", f"/kartlegginger/test/respondenter/{pk}/"):
        page = leader.get(url)
        assert page.status_code == 200
        assert_no_raw_markup(page)


def test_word_report_survives_a_role_typed_in_the_respondent_form(leader, survey, invited, horten):
    url = f"/kartlegginger/test/respondenter/{invited.respondent.pk}/endre/"
    reply = leader.post(url, respondent_data(horten, email="kari@horten.example", role="Leder\x07"))
    if reply.status_code == 422:
        return  # refused at the door: fine too
    # The report quotes free-text answers with the respondent's role beside them.
    response = open_response(invited.respondent)
    questionnaire = survey.questionnaire.definition
    mine = {
        "respondent_rolle": ["kreftkoordinator"],
        "koord_finnes": ["ja"],
        "kompetanse_utdyp": ["Vi trenger mer hospitering."],
    }
    assert save_answers(response, questionnaire, mine).ok
    assert submit(response, questionnaire) == []
    leader.post("/kartlegginger/test/resultater/rapport/", {"format": "docx"})
    assert ReportFile.objects.get().status == ReportFile.Status.DONE


# --------------------------------------------------------------------------- project members


def member_data(**changes) -> dict:
    return {
        "name": "Per Prosjekt",
        "email": "per@usht.example.no",
        "role": "prosjektgruppe",
    } | changes


MEMBER_CASES = [
    pytest.param({"name": "Per\x00"}, NULL, id="name-NUL"),
    pytest.param({"name": "Per\x07"}, ANY_MESSAGE, id="name-BEL"),
    pytest.param({"name": "P" * 151}, "150 eller færre tegn (den har nå 151)", id="name-151"),
    pytest.param({"email": IMG}, "Oppgi en gyldig e-postadresse", id="email-markup"),
    pytest.param(
        {"email": "x" * 10_000 + "@h.no"}, "Oppgi en gyldig e-postadresse", id="email-10000"
    ),
    pytest.param({"email": "LEDER@usht.example.no"}, "er allerede med.", id="email-member"),
    pytest.param(
        {"role": "eier"}, "eier er ikke et av de tilgjengelige valgene", id="role-unknown"
    ),
    pytest.param({"role": XSS}, "er ikke et av de tilgjengelige valgene", id="role-markup"),
]


@pytest.mark.parametrize("change, message", MEMBER_CASES)
def test_bad_member_invitation_is_refused(leader, survey, change, message):
    users = get_user_model().objects.count()
    refused(leader.post("/kartlegginger/test/medlemmer/", member_data(**change)), message)
    assert get_user_model().objects.count() == users
    assert Membership.objects.count() == 2


@pytest.mark.parametrize("role", [XSS, "eier", ""])
def test_unknown_role_for_a_member_is_404_and_unchanged(leader, survey, people, role):
    membership = Membership.objects.get(user=people["gruppe"])
    url = f"/kartlegginger/test/medlemmer/{membership.pk}/rolle/"
    assert leader.post(url, {"role": role}).status_code == 404
    membership.refresh_from_db()
    assert membership.role == Membership.Role.GROUP


# =========================================================================== CSV/XLSX uploads


@functools.cache
def _zip_bomb() -> bytes:
    # 50 MB of zeros in a few kB: what an .xlsx bomb looks like; it must never be unpacked.
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    return packed.getvalue()


HEADER = b"navn,epost,rolle,organisasjon\n"
NOT_UTF8 = "Filen er ikke i UTF-8."
# An XLSX is read as one (imports take Excel files too); a bomb is refused before unpacking.
XLSX_BOMB = "Excel-filen pakker seg ut til mer enn 20 MB"
IMPORT_CASES = [
    pytest.param(
        HEADER + "Øyvind,o@horten.example,Leder,3901\n".encode("latin-1"), NOT_UTF8, id="latin-1"
    ),
    pytest.param(
        "navn,epost,rolle,organisasjon\nA,a@h.no,x,3901\n".encode("utf-16"), NOT_UTF8, id="utf-16"
    ),
    pytest.param(_zip_bomb(), XLSX_BOMB, id="xlsx-zip-bomb"),
    pytest.param(
        b"PK\x03\x04not really a zip",
        "Filen ser ut som en Excel-fil (.xlsx), men den kan ikke åpnes.",
        id="xlsx-not-a-zip",
    ),
    pytest.param(b"", "Filen er tom.", id="empty"),
    pytest.param(
        b"navn,epost\nA,a@horten.example\n",
        "mangler kolonnen(e) rolle, organisasjon",
        id="missing-columns",
    ),
    pytest.param(
        b"navn;epost;rolle\nA;a@horten.example;x\n",
        "mangler kolonnen(e) organisasjon",
        id="semicolon-missing-column",
    ),
    pytest.param(HEADER, "Filen har ingen rader med respondenter.", id="header-only"),
    pytest.param(
        HEADER + b"A,a@horten.example,x,3901\nA,a@horten.example,x,3901\n",
        "Rad 3: a@horten.example står også på rad 2",
        id="duplicate-rows",
    ),
    pytest.param(
        HEADER + b"Kari,KARI@horten.example,x,3901\n",
        "er allerede respondent i kartleggingen",
        id="existing-respondent",
    ),
    pytest.param(HEADER + b"A\x00,a@horten.example,x,3901\n", "kontrolltegn (kode 0)", id="NUL"),
    pytest.param(HEADER + b"A\x1b,a@horten.example,x,3901\n", "kontrolltegn (kode 27)", id="ESC"),
    pytest.param(
        HEADER + b"A" * 10_000 + b",a@horten.example,x,3901\n",
        "navnet er lengre enn 200 tegn",
        id="name-10000",
    ),
    pytest.param(
        HEADER + b"A,a@horten.example," + b"R" * 201 + b",3901\n",
        "rollen er lengre enn 200 tegn",
        id="role-201",
    ),
    pytest.param(
        HEADER + XSS.encode() + b"," + IMG.replace('"', "").encode() + b",x,3901\n",
        "er ikke en gyldig e-postadresse",
        id="markup",
    ),
    pytest.param(
        HEADER + b"A,a@horten.example,x,9999\n",
        "ukjent organisasjon «9999»",
        id="unknown-organisation",
    ),
    pytest.param(HEADER + b',,"x,\n', "mangler navn", id="broken-quote"),
    pytest.param(
        HEADER + b"A" * 200_000 + b",a@horten.example,x,3901\n",
        "navnet er lengre enn 200 tegn",
        id="field-200000",
    ),
]


@pytest.mark.parametrize("data, message", IMPORT_CASES)
def test_bad_respondent_file_imports_nothing(survey, invited, people, data, message):
    leader = Client(raise_request_exception=False)  # a 500 must show as a 500
    leader.force_login(people["leder"])
    reply = leader.post(
        "/kartlegginger/test/respondenter/import/", {"file": SimpleUploadedFile("r.csv", data)}
    )
    refused(reply, message)
    assert Respondent.objects.count() == 1  # Kari, invited before


def test_import_without_a_file_is_refused(leader, survey):
    refused(
        leader.post("/kartlegginger/test/respondenter/import/", {"file": "navn,epost"}),
        "Feltet er påkrevet.",
    )


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffnavn;epost;rolle;organisasjon\nØyvind;o@horten.example;Leder;3901\n".encode(),
        "navn,epost,rolle,organisasjon\r\nØyvind,o@horten.example,Leder,Horten\r\n".encode(),
    ],
    ids=["bom-semicolon", "comma-crlf-name"],
)
def test_bom_semicolon_and_comma_files_are_read(leader, survey, data):
    # The control: Excel's «CSV UTF-8» (BOM, semicolon) and plain comma files both work.
    reply = leader.post(
        "/kartlegginger/test/respondenter/import/", {"file": SimpleUploadedFile("r.csv", data)}
    )
    assert reply.status_code == 302
    assert Respondent.objects.get().name == "Øyvind"


# --------------------------------------------------------------------------- command-line imports


def run(tmp_path, command: str, content: bytes | str, *args: str) -> str:
    """Run an import command on a file; return its CommandError message (it must refuse)."""
    path = tmp_path / "fil"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CommandError) as refusal:
        call_command(command, *args, str(path), stdout=io.StringIO())
    return str(refusal.value)


ANSWER_HEADER = (
    "organisasjon,respondent_epost,innsendt,respondent_rolle,koord_finnes,koord_stilling_pct,"
    "enhet_pleiefaktor_dag,ident_verktoy,samarbeid_fastlege,fagdag_dato,kompetanse_utdyp,"
    "respondent_rolle_annet\n"
)
ANSWER_IMPORT_CASES = [
    pytest.param(
        "3901,a@h.no,,sjef,,,,,,,,\n",
        "kolonne respondent_rolle: Velg et av alternativene.",
        id="unknown-option",
    ),
    pytest.param(
        "3901,a@h.no,,kreftkoordinator|annet,,,,,,,,\n",
        "Velg bare ett svar.",
        id="two-single-choices",
    ),
    pytest.param(
        "3901,a@h.no,,,,,,ingen|spict,,,,\n",
        "«Ingen» kan ikke kombineres med andre svar.",
        id="exclusive-combined",
    ),
    pytest.param(
        "3901,a@h.no,,,,,,,stor|vet_ikke,,,\n", "Velg bare ett svar.", id="vet-ikke-combined"
    ),
    pytest.param(
        "3901,a@h.no,,,,,NaN,,,,,\n", "kolonne enhet_pleiefaktor_dag: Skriv et tall", id="NaN"
    ),
    pytest.param(
        "3901,a@h.no,,,,,1e309,,,,,\n", "kolonne enhet_pleiefaktor_dag: Skriv et tall", id="1e309"
    ),
    pytest.param(
        "3901,a@h.no,,,ja,-5,,,,,,\n", "Skriv et tall mellom 0 og 1\u00a0000", id="negative"
    ),
    pytest.param(
        "3901,a@h.no,,,nei,50,,,,,,\n",
        "spørsmålet er skjult av svarene i samme rad",
        id="hidden-answer",
    ),
    pytest.param(
        "3901,a@h.no,,,,,,,,2026-02-30,,\n",
        "kolonne fagdag_dato: Skriv datoen som åååå-mm-dd",
        id="feb-30",
    ),
    pytest.param(
        "3901,a@h.no,i går,,,,,,,,,\n", "kolonne innsendt: Skriv datoen", id="submitted-words"
    ),
    pytest.param(
        "3901,a@h.no,2099-01-01,,,,,,,,,\n",
        "kolonne innsendt: datoen er fram i tid",
        id="submitted-future",
    ),
    pytest.param(
        "3901,a@h.no,,,,,,,,,,\n3901,A@H.NO,,,,,,,,,,\n",
        "Rad 3, kolonne respondent_epost: a@h.no står også på rad 2",
        id="duplicate-email",
    ),
    pytest.param(
        f"3901,{IMG.replace(',', '')},,,,,,,,,,\n",
        "er ikke en gyldig e-postadresse",
        id="email-markup",
    ),
    pytest.param(
        "9999,a@h.no,,,,,,,,,,\n", "ukjent organisasjon «9999»", id="unknown-organisation"
    ),
    pytest.param(
        "3901,a@h.no,,annet,,,,,,,," + "x" * 10_000 + "\n",
        "lengre enn 500 tegn (den er 10\u00a0000)",
        id="short-text-10000",
    ),
    pytest.param("3901,a@h.no,,,,,,,,,x\x07,\n", "kontrolltegn (kode 7)", id="BEL"),
]


@pytest.mark.parametrize("row, message", ANSWER_IMPORT_CASES)
def test_bad_answer_file_imports_nothing(tmp_path, survey, row, message):
    problem = run(tmp_path, "import-responses", ANSWER_HEADER + row, "--survey", "test")
    assert "Ingenting ble importert." in problem
    assert message in problem
    assert not Response.objects.exists()
    assert not Respondent.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        pytest.param(
            "organisasjon,finnes_ikke\n3901,x\n",
            "Ukjent kolonne «finnes_ikke»",
            id="unknown-column",
        ),
        pytest.param(
            "kompetanse_utdyp\nx\n", "mangler kolonnen(e) organisasjon", id="no-organisation-column"
        ),
        pytest.param(
            "organisasjon,kompetanse_utdyp\n3901,Æøå\n".encode("latin-1"), NOT_UTF8, id="latin-1"
        ),
        pytest.param(_zip_bomb(), XLSX_BOMB, id="xlsx-zip-bomb"),
    ],
)
def test_bad_answer_file_structure_imports_nothing(tmp_path, survey, content, message):
    assert message in run(tmp_path, "import-responses", content, "--survey", "test")
    assert not Response.objects.exists()


ORGANISATION_HEADER = "nummer,navn,type,innbyggere,fylke\n"
ORGANISATION_CASES = [
    pytest.param(
        "39O1,X,kommune,100,V\n", "kommunenummer må ha fire sifre, fikk «39O1»", id="letter-O"
    ),
    pytest.param(
        "3999,X,kommune,-5,V\n", "innbyggere må være et heltall, fikk «-5»", id="negative"
    ),
    pytest.param(
        "3999,X,kommune,1e309,V\n", "innbyggere må være et heltall, fikk «1e309»", id="1e309"
    ),
    pytest.param("3999,X,kommune,NaN,V\n", "innbyggere må være et heltall, fikk «NaN»", id="NaN"),
    pytest.param("3999,X,fylke,100,V\n", "ukjent type «fylke»", id="unknown-type"),
    pytest.param(
        "3999,X,kommune,1,V\n3999,Y,kommune,1,V\n", "nummer 3999 står også på rad 2", id="duplicate"
    ),
    pytest.param("3999,X\x07,kommune,1,V\n", "kontrolltegn (kode 7)", id="BEL"),
    pytest.param("3999,,kommune,,V\n", "mangler navn", id="missing-name"),
    pytest.param(
        "3999,X,kommune,99999999999999999999999,V\n",
        "innbyggere",
        id="population-too-big",
    ),
    pytest.param(
        "3999,X,kommune,²,V\n",
        "innbyggere må være et heltall",
        id="population-superscript",
    ),
]


@pytest.mark.parametrize("row, message", ORGANISATION_CASES)
def test_bad_organisation_file_changes_nothing(tmp_path, horten, row, message):
    assert message in run(tmp_path, "import-organisations", ORGANISATION_HEADER + row)
    assert list(Organisation.objects.values_list("number", flat=True)) == ["3901"]


# --------------------------------------------------------------------------- questionnaire files

MINI_START = "nokkel: x\ntittel: X\nseksjoner:\n - nokkel: s\n   tittel: S\n   tema: bakgrunn\n   sporsmal:\n"


def _nested_condition(depth: int) -> str:
    condition = "{sporsmal: a, er: ja}"
    for _ in range(depth):
        condition = "{alle: [" + condition + "]}"
    return (
        MINI_START
        + "    - {nokkel: a, tekst: A, type: ja_nei}\n"
        + f"    - {{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: {condition}}}\n"
    )


QUESTIONNAIRE_CASES = [
    pytest.param("[" * 10_000 + "]" * 10_000, "nestet for dypt", id="deep-list"),
    pytest.param("a: " + "{b: " * 10_000 + "1" + "}" * 10_000, "nestet for dypt", id="deep-map"),
    pytest.param(_nested_condition(3_000), "nestet for dypt", id="deep-condition"),
    pytest.param("!!python/object/apply:os.system ['echo x']", "ikke gyldig YAML", id="python-tag"),
    pytest.param("nokkel: [\n", "ikke gyldig YAML (linje", id="broken-yaml"),
    pytest.param("", "Filen må inneholde et spørreskjema", id="empty"),
    pytest.param("- a\n- b\n", "Filen må inneholde et spørreskjema", id="a-list"),
    pytest.param(
        MINI_START + "    - {nokkel: a, tekst: A, type: heltall, min: .nan}\n",
        "'min' må være et tall",
        id="min-nan",
    ),
    pytest.param(
        MINI_START + "    - {nokkel: a, tekst: A, type: heltall, maks: .inf}\n",
        "'maks' må være et tall",
        id="max-inf",
    ),
    pytest.param(
        MINI_START + "    - {nokkel: a, tekst: A, type: heltall, min: 1e309}\n",
        "'min' må være et tall",
        id="min-1e309",
    ),
    pytest.param(
        MINI_START + "    - {nokkel: a, tekst: A, type: heltall, min: 10, maks: -10}\n",
        "'min' er større enn 'maks'",
        id="min-above-max",
    ),
    pytest.param(
        MINI_START + "    - {nokkel: a, tekst: A, type: kort_tekst, obligatorisk: kanskje}\n",
        "'obligatorisk' må være true eller false",
        id="required-text",
    ),
    pytest.param(
        MINI_START
        + "    - {nokkel: a, tekst: A, type: flervalg, alternativer: [{kode: x, tekst: X}, {kode: x, tekst: Y}]}\n",
        "koden 'x' er brukt før",
        id="duplicate-code",
    ),
    pytest.param(
        MINI_START
        + "    - {nokkel: a, tekst: A, type: flervalg, alternativer: [{kode: '<b>', tekst: X}, {kode: y, tekst: Y}]}\n",
        "ugyldig kode '<b>'",
        id="markup-code",
    ),
    pytest.param(
        f"nokkel: '{XSS}'\ntittel: X\nseksjoner: []\n", "kan bare ha små bokstaver", id="markup-key"
    ),
    pytest.param(
        MINI_START + "    - {nokkel: a, tekst: A, type: skript}\n",
        "ukjent type 'skript'",
        id="unknown-type",
    ),
    pytest.param("nokkel: æ".encode("latin-1"), "er ikke i UTF-8", id="latin-1"),
]


@pytest.mark.parametrize("content, message", QUESTIONNAIRE_CASES)
def test_bad_questionnaire_file_is_refused_and_not_stored(tmp_path, db, content, message):
    assert message in run(tmp_path, "load-questionnaire", content)
    assert not QuestionnaireVersion.objects.exists()


class TookTooLong(Exception):
    """Raised by the alarm when loading takes longer than a person would wait."""


def _alias_bomb(levels: int) -> str:
    """A «billion laughs» file: each anchor repeats the one before four times (4^levels)."""
    lines = ["nokkel: x", "tittel: X", "maler:", "  - &c0 {sporsmal: a, er: ja}"]
    lines += [
        f"  - &c{i} {{alle: [*c{i - 1}, *c{i - 1}, *c{i - 1}, *c{i - 1}]}}"
        for i in range(1, levels + 1)
    ]
    lines += MINI_START.splitlines()[2:]
    lines += [
        "    - {nokkel: a, tekst: A, type: ja_nei}",
        f"    - {{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: *c{levels}}}",
    ]
    return "\n".join(lines) + "\n"


def test_alias_bomb_questionnaire_is_refused_quickly(tmp_path, db):
    def stop(_signum, _frame):
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(2)
    try:
        output = run(tmp_path, "load-questionnaire", _alias_bomb(12))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "henvisninger som *navn er ikke tillatt" in output
    assert not QuestionnaireVersion.objects.exists()


# =========================================================================== exports


def _cells_of_csv(data: bytes) -> list[str]:
    content = data.decode("utf-8-sig")
    delimiter = (
        ";" if content.splitlines()[0].count(";") > content.splitlines()[0].count(",") else ","
    )
    return [cell for row in csv.reader(io.StringIO(content), delimiter=delimiter) for cell in row]


def _cells_of_xlsx(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(data: bytes, fmt: str, formula: str) -> None:
    if fmt == "xlsx":
        cells = _cells_of_xlsx(data)
        assert all(cell.data_type != "f" for cell in cells)
        values = [c.value for c in cells if isinstance(c.value, str)]
    else:
        values = _cells_of_csv(data)
    assert not [v for v in values if v.startswith(FORMULA_STARTS)]
    assert any(v == "'" + formula or v.startswith("'" + formula) for v in values)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("formula", FORMULAS)
def test_respondent_export_neutralises_formulas(leader, survey, formula, fmt):
    # In through the import form, as a project leader would, out through the export.
    row = io.StringIO()
    csv.writer(row).writerow([formula, "x@horten.example", formula, "3901"])
    upload = SimpleUploadedFile("r.csv", HEADER + row.getvalue().encode())
    reply = leader.post("/kartlegginger/test/respondenter/import/", {"file": upload})
    assert reply.status_code == 302
    reply = leader.get(f"/kartlegginger/test/eksport/respondenter.{fmt}")
    assert reply.status_code == 200
    assert_no_formula(reply.content, fmt, formula)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("formula", FORMULAS)
def test_answer_export_neutralises_formulas(leader, survey, horten, formula, fmt):
    response = answered(
        survey,
        horten,
        "a@horten.example",
        {
            "respondent_rolle": ["annet"],
            "respondent_rolle_annet": [formula],
            "kompetanse_utdyp": [formula],
            "koord_finnes": ["ja"],
        },
    )
    Respondent.objects.filter(pk=response.respondent_id).update(role=formula)
    reply = leader.get(f"/kartlegginger/test/resultater/eksport/{fmt}/")
    assert reply.status_code == 200
    assert_no_formula(reply.content, fmt, formula)


@pytest.mark.parametrize("formula", FORMULAS)
def test_recommendation_export_neutralises_the_leaders_wording(leader, survey, horten, formula):
    # Horten has no coordinator: ORG-01 is a deviation, so the export carries the leader's words
    # (only a deviation has a finding; other statuses get their own text).
    answered(survey, horten, "a@horten.example", {"respondent_rolle": ["kreftkoordinator"],
                                                  "koord_finnes": ["nei"]})  # fmt: skip
    data = {"action": "endret", "finding": formula, "recommendation": formula}
    leader.post("/kartlegginger/test/anbefalinger/3901/ORG-01/", data)
    assert FindingDecision.objects.get().finding == formula
    reply = leader.get("/kartlegginger/test/anbefalinger/eksport/csv/")
    assert_no_formula(reply.content, "csv", formula)


def test_audit_log_export_neutralises_a_formula_username(client, survey):
    # An e-mail address may start with = or +; invited members get it as username.
    user = get_user_model().objects.create_user("=1+1@horten.example", is_staff=True)
    Membership.objects.create(survey=survey, user=user, role=Membership.Role.LEADER)
    client.force_login(user)
    client.get("/kartlegginger/test/eksport/respondenter.csv")  # leaves an audit entry
    reply = client.get("/kartlegginger/test/logg/?format=csv")
    assert_no_formula(reply.content, "csv", "=1+1@horten.example")


@pytest.mark.parametrize(
    "url",
    [
        "/kartlegginger/test/resultater/eksport/exe/",
        "/kartlegginger/test/anbefalinger/eksport/exe/",
        "/kartlegginger/test/eksport/respondenter.exe",
        "/kartlegginger/test/respondenter/{pk}/innsyn.exe",
        "/kartlegginger/test/resultater/organisasjon/%3Cscript%3E/",
        "/kartlegginger/test/anbefalinger/9999/",
        "/kartlegginger/test/resultater/rapport/999/",
    ],
)
def test_unknown_export_or_object_is_404(leader, invited, url):
    reply = leader.get(url.format(pk=invited.respondent.pk))
    assert reply.status_code == 404
    assert_no_raw_markup(reply)


# =========================================================================== query parameters

RESULT_QUERIES = [
    f"tema={XSS}", f"gruppe={IMG}", "storrelse=enorm", f"skjema={XSS}", "pabegynte=%00",
    "tema=kompetanse&gruppe=size", "tema=kompetanse&gruppe=kind&storrelse=liten",
]  # fmt: skip


@pytest.mark.parametrize("query", RESULT_QUERIES)
def test_results_page_with_odd_parameters_is_200_and_escaped(leader, survey, horten, query):
    answered(
        survey,
        horten,
        "a@horten.example",
        {
            "respondent_rolle": ["annet"],
            "respondent_rolle_annet": [XSS],
            "samarbeid_fastlege": ["stor"],
            "koord_finnes": ["ja"],
        },
    )
    reply = leader.get(f"/kartlegginger/test/resultater/?{query}")
    assert reply.status_code == (400 if "%00" in query else 200)  # NUL: refused at the door
    assert_no_raw_markup(reply)


@pytest.mark.parametrize("group", [XSS, "organisation", "%00", "size"])
def test_answer_export_with_odd_grouping_is_200(leader, survey, group):
    reply = leader.get(f"/kartlegginger/test/resultater/eksport/frequencies/?gruppe={group}")
    assert reply.status_code == (400 if group == "%00" else 200)


AUDIT_QUERIES = [
    "fra=2026-02-30", "til=2026-02-30", "fra=i%20g%C3%A5r", f"til={XSS}", f"handling={XSS}",
    f"person={IMG}", "person=%00", "side=abc", "side=-1", "side=0", "side=99999", "side=1e309",
    "side=" + "9" * 5_000, "fra=2027-01-01&til=2020-01-01", "format=xml", "format=csv&fra=%00",
]  # fmt: skip


@pytest.mark.parametrize("query", AUDIT_QUERIES)
def test_audit_log_with_odd_filters_is_200_and_escaped(leader, survey, people, query):
    audit("test.entry", people["leder"], survey)
    reply = leader.get(f"/kartlegginger/test/logg/?{query}")
    assert reply.status_code == (400 if "%00" in query else 200)
    assert_no_raw_markup(reply)


# =========================================================================== results: leader's actions


@pytest.mark.parametrize(
    "data",
    [{"format": "exe"}, {"format": XSS}, {}],
    ids=["exe", "markup", "missing"],
)
def test_report_in_an_unknown_format_is_404_and_not_queued(leader, survey, data):
    assert leader.post("/kartlegginger/test/resultater/rapport/", data).status_code == 404
    assert not ReportFile.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"organisasjon": "3901", "sporsmal": XSS, "respons": "1"},
        {"organisasjon": "3901", "sporsmal": "koord_finnes", "respons": "1e309"},
        {"organisasjon": "3901", "sporsmal": "koord_finnes", "respons": "-1"},
        {"organisasjon": "%00", "sporsmal": "koord_finnes", "respons": "1"},
    ],
    ids=["empty", "question-markup", "response-1e309", "response-negative", "organisation-NUL"],
)
def test_choosing_a_fact_from_junk_is_404_and_stores_nothing(leader, survey, horten, data):
    answered(
        survey, horten, "a@horten.example", {"koord_finnes": ["ja"], "respondent_rolle": ["annet"]}
    )
    assert leader.post("/kartlegginger/test/resultater/fakta/velg/", data).status_code == 404
    assert not survey.fact_choices.exists()


THRESHOLD_CASES = [
    pytest.param("abc", "«abc» er ikke et tall", id="abc"),
    pytest.param("1,2,3", "«1.2.3» er ikke et tall", id="two-commas"),
    pytest.param(XSS, "er ikke et tall", id="markup"),
    pytest.param("-1", "kan ikke være negativ", id="negative"),
    pytest.param("-0,5", "kan ikke være negativ", id="negative-decimal"),
    pytest.param("NaN", "er ikke et tall", id="NaN"),
    pytest.param("1e309", "er ikke et tall", id="1e309"),
    pytest.param("inf", "er ikke et tall", id="inf"),
    pytest.param("Infinity", "er ikke et tall", id="Infinity"),
]


@pytest.mark.parametrize("value, message", THRESHOLD_CASES)
def test_bad_threshold_is_refused_with_a_message(survey, people, value, message):
    leader = Client(raise_request_exception=False)  # a 500 must show as a 500, not a traceback
    leader.force_login(people["leder"])
    reply = leader.post("/kartlegginger/test/anbefalinger/terskler/", {"minste_stilling": value})
    assert reply.status_code == 302
    page = leader.get(reply["Location"])
    refused(page, "Noen terskler ble ikke lagret: ", status=200)
    assert message in text(page)
    assert not RuleParameter.objects.exists()


DECISION_CASES = [
    pytest.param(
        {"action": "hack"}, "hack er ikke et av de tilgjengelige valgene", id="action-unknown"
    ),
    pytest.param({"action": XSS}, "er ikke et av de tilgjengelige valgene", id="action-markup"),
    pytest.param(
        {"action": "avvist", "reason": "  "},
        "Skriv hvorfor funnet avvises.",
        id="dismiss-no-reason",
    ),
    pytest.param(
        {"action": "endret"}, "Skriv funnet eller anbefalingen med egne ord.", id="edit-empty"
    ),
    pytest.param({"action": "endret", "finding": "Funn\x00"}, NULL, id="finding-NUL"),
    pytest.param({"action": "endret", "finding": "Funn\x07"}, ANY_MESSAGE, id="finding-BEL"),
]


@pytest.mark.parametrize("data, message", DECISION_CASES)
def test_bad_finding_decision_is_refused_with_a_message(leader, survey, data, message):
    reply = leader.post("/kartlegginger/test/anbefalinger/3901/ORG-01/", data)
    assert reply.status_code == 302
    page = leader.get(reply["Location"])
    refused(page, "ORG-01 ble ikke lagret", status=200)
    assert message in text(page)
    assert not FindingDecision.objects.exists()


def test_decision_for_an_unknown_rule_is_404(leader, survey):
    reply = leader.post("/kartlegginger/test/anbefalinger/3901/XSS-99/", {"action": "godtatt"})
    assert reply.status_code == 404
    assert not FindingDecision.objects.exists()


def test_markup_in_the_leaders_wording_is_escaped_on_the_scorecard(leader, survey):
    data = {"action": "endret", "finding": XSS, "recommendation": IMG}
    assert leader.post("/kartlegginger/test/anbefalinger/3901/ORG-01/", data).status_code == 302
    page = leader.get("/kartlegginger/test/anbefalinger/3901/")
    assert page.status_code == 200
    assert_no_raw_markup(page)


# =========================================================================== login and accounts

LOGIN_CASES = [
    pytest.param({"username": "kari\x00", "password": "x"}, id="username-NUL"),
    pytest.param({"username": "k" * 10_000, "password": "x"}, id="username-10000"),
    pytest.param({"username": XSS, "password": IMG}, id="markup"),
    pytest.param({"username": "kari", "password": "p" * 1_000_000}, id="password-1MB"),
    pytest.param({"username": "", "password": ""}, id="empty"),
]


@pytest.mark.parametrize("data", LOGIN_CASES)
def test_bad_login_is_refused_in_norwegian(client, django_user_model, data):
    django_user_model.objects.create_user(
        "kari", password="riktig-hest-batteri-stift", is_staff=True
    )
    reply = client.post("/konto/logg-inn/", data)
    assert reply.status_code == 200  # Django's LoginView shows the form again
    assert_no_raw_markup(reply)
    page = text(reply)
    assert "Brukernavnet eller passordet er feil." in page or "Feltet er påkrevet." in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "https://evil.example/", "//evil.example"]
)
def test_login_never_redirects_off_site(client, django_user_model, target):
    django_user_model.objects.create_user(
        "kari", password="riktig-hest-batteri-stift", is_staff=True
    )
    data = {"username": "kari", "password": "riktig-hest-batteri-stift", "next": target}
    reply = client.post("/konto/logg-inn/", data)
    assert reply.status_code == 302
    assert reply["Location"] == "/kartlegginger/"


@pytest.mark.parametrize(
    "email, message",
    [
        pytest.param("kari\x00@h.no", NULL, id="NUL"),
        pytest.param("x" * 10_000 + "@h.no", "254 eller færre tegn", id="10000"),
        pytest.param(IMG, "Oppgi en gyldig e-postadresse", id="markup"),
        pytest.param("", "Feltet er påkrevet.", id="empty"),
    ],
)
def test_bad_forgotten_password_address_is_refused(client, db, email, message):
    reply = client.post("/konto/glemt-passord/", {"email": email})
    refused(reply, message, status=200)
    assert not outbox.outbox


@pytest.mark.parametrize("uid", ["%00", "A" * 5_000, "%3Cscript%3E"])
def test_broken_new_password_link_is_a_page_not_a_500(client, db, uid):
    reply = client.get(f"/konto/nytt-passord/{uid}/set-password/")
    assert reply.status_code in (200, 404)
    assert_no_raw_markup(reply)


@pytest.mark.parametrize(
    "code, message",
    [
        pytest.param("abcdef", "Koden består av 6 sifre.", id="letters"),
        pytest.param("١٢٣٤٥٦", "Koden består av 6 sifre.", id="arabic-digits"),
        pytest.param("12345\x00", NULL, id="NUL"),
        pytest.param("1" * 10_000, "20 eller færre tegn", id="10000"),
        pytest.param("<b>1</b>", "Koden består av 6 sifre.", id="markup"),
    ],
)
def test_bad_one_time_code_is_refused(client, django_user_model, code, message):
    user = django_user_model.objects.create_user(
        "kari", password="riktig-hest-batteri-stift", is_staff=True
    )
    client.force_login(user)
    refused(client.post("/konto/tofaktor/", {"code": code}), message)
    assert not AuditEntry.objects.filter(action="two_factor.set_up").exists()
