"""The questionnaire editor as a project leader uses it: copy, edit, see the problem beside
its field, be told what depends on a question, take the draft into use and move a draft
survey to the new version; every change audited, nothing broken for an open survey."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import load_workbook

from kartlegging.core.models import AuditEntry
from kartlegging.questionnaires.forms import QuestionForm, option_initial
from kartlegging.questionnaires.models import QuestionnaireDraft, QuestionnaireVersion
from kartlegging.surveys.models import Membership, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(as_, survey):
    reply = as_("leder").post(f"/sporreskjema/versjon/{survey.questionnaire.pk}/kopi/")
    assert reply.status_code == 302
    return QuestionnaireDraft.objects.get()


def base(draft) -> str:
    return f"/sporreskjema/utkast/{draft.pk}/"


def page(reply) -> str:
    return html.unescape(reply.content.decode())


def question_post(draft, key: str, **changes) -> dict:
    """What the question form posts for the question as it is, with `changes`."""
    question = draft.definition.question(key)
    data = {k: v for k, v in QuestionForm.initial_for(question).items() if v not in (None, False)}
    options = option_initial(question)
    data.update(
        {
            "alt-TOTAL_FORMS": str(len(options) + 3),
            "alt-INITIAL_FORMS": str(len(options)),
            "alt-MIN_NUM_FORMS": "0",
            "alt-MAX_NUM_FORMS": "200",
        }
    )
    for index, option in enumerate(options):
        data[f"alt-{index}-kode"] = option["kode"]
        data[f"alt-{index}-tekst"] = option["tekst"]
        if option["eksklusiv"]:
            data[f"alt-{index}-eksklusiv"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --------------------------------------------------------------------------- who may


def test_anonymous_is_sent_to_the_login_and_an_account_without_staff_status_is_refused(
    client, django_user_model, survey
):
    assert client.get("/sporreskjema/")["Location"].startswith("/konto/logg-inn/")
    plain = django_user_model.objects.create_user("vanlig", password="passord-1234567")
    client.force_login(plain)
    assert client.get("/sporreskjema/").status_code == 403


@pytest.mark.parametrize("name", ["leder", "gruppe", "utenfor"])
def test_every_staff_user_sees_the_library_with_the_versions(as_, survey, name):
    reply = as_(name).get("/sporreskjema/")
    assert reply.status_code == 200
    assert "Lite testskjema" in page(reply) and "Lag en kopi" in page(reply)


# --------------------------------------------------------------------------- copy and edit


def test_a_copy_is_a_draft_with_the_same_questions_and_is_audited(draft, survey):
    assert draft.definition == survey.questionnaire.definition
    assert draft.based_on == survey.questionnaire
    entry = AuditEntry.objects.get(action="questionnaire.draft_created")
    assert entry.data["copy_of"] == "mini v1" and entry.actor_name == "leder"


def test_a_reworded_question_is_shown_after_reload_and_the_version_is_unchanged(as_, draft, survey):
    client = as_("leder")
    reply = client.post(
        base(draft) + "sporsmal/koord_finnes/",
        question_post(draft, "koord_finnes", tekst="Har kommunen en kreftkoordinator i dag?"),
    )
    assert reply.status_code == 302
    assert "Har kommunen en kreftkoordinator i dag?" in page(client.get(base(draft)))
    assert survey.questionnaire.definition.question("koord_finnes").text == (
        "Har kommunen kreftkoordinator?"
    )
    assert AuditEntry.objects.filter(action="questionnaire.draft_changed").count() == 1


def test_a_refused_change_is_shown_beside_its_field_and_nothing_is_stored(as_, draft):
    before = draft.source
    reply = as_("leder").post(
        base(draft) + "sporsmal/koord_stilling_pct/",
        question_post(draft, "koord_stilling_pct", min="50", maks="10"),
    )
    assert reply.status_code == 422
    text = page(reply)
    assert re.search(
        r'id="id_min"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_min"', text
    )
    assert re.search(r'id="id_min-feil"\s*>\s*\'min\' er større enn \'maks\'', text)
    draft.refresh_from_db()
    assert draft.source == before


def test_a_new_conditional_question_built_with_the_pickers(as_, draft):
    data = {
        "seksjon": "organisering",
        "nokkel": "koord_navn_kjent",
        "tekst": "Vet tjenestene hvem koordinatoren er?",
        "type": "ja_nei",
        "omfang": "person",
        "vis_sporsmal": "koord_finnes",
        "vis_operator": "er",
        "vis_verdi": "ja",
        "alt-TOTAL_FORMS": "3",
        "alt-INITIAL_FORMS": "0",
        "alt-MIN_NUM_FORMS": "0",
        "alt-MAX_NUM_FORMS": "200",
    }
    reply = as_("leder").post(base(draft) + "seksjon/organisering/nytt-sporsmal/", data)
    assert reply.status_code == 302, page(reply)
    draft.refresh_from_db()
    question = draft.definition.question("koord_navn_kjent")
    assert draft.definition.section_of("koord_navn_kjent").key == "organisering"
    assert question.condition.evaluate({"koord_finnes": "ja"})
    assert not question.condition.evaluate({"koord_finnes": "nei"})
    overview = page(as_("leder").get(base(draft)))
    assert "Vises bare hvis «Har kommunen kreftkoordinator?» er ja." in overview


def test_a_condition_on_a_later_question_is_refused_beside_the_condition(as_, draft):
    reply = as_("leder").post(
        base(draft) + "sporsmal/respondent_rolle_annet/",
        question_post(
            draft,
            "respondent_rolle_annet",
            vis_sporsmal=None,
            vis_operator=None,
            vis_verdi=None,
            vis_tekst="kompetanse_utdyp = 'x'",
        ),
    )
    assert reply.status_code == 422
    assert re.search(
        r'id="id_vis_tekst-feil"\s*>\s*viser til spørsmålet \'kompetanse_utdyp\', som ikke finnes '
        r"tidligere i skjemaet",
        page(reply),
    )


def test_options_are_edited_in_rows_and_an_empty_row_is_skipped(as_, draft):
    data = question_post(draft, "ident_verktoy")
    data["alt-3-kode"], data["alt-3-tekst"] = "ipos", "IPOS"
    reply = as_("leder").post(base(draft) + "sporsmal/ident_verktoy/", data)
    assert reply.status_code == 302
    draft.refresh_from_db()
    codes = [o.code for o in draft.definition.question("ident_verktoy").options]
    assert codes == ["spict", "annet", "ingen", "ipos"]


# --------------------------------------------------------------------------- what depends on it


def test_removing_a_code_names_the_rule_that_reads_it_and_needs_a_second_save(as_, draft):
    client = as_("leder")
    data = question_post(draft, "ident_verktoy")
    data["alt-0-kode"] = data["alt-0-tekst"] = ""  # remove «spict»
    first = client.post(base(draft) + "sporsmal/ident_verktoy/", data)
    assert first.status_code == 200
    text = page(first)
    assert (
        "Endringen påvirker dette" in text
        and "Anbefaling: HEL-02 Identifisering av palliative behov" in text
    )
    assert "Testkartlegging</a> – åpen, beholder versjon 1 uendret" in text
    draft.refresh_from_db()
    assert "spict" in [o.code for o in draft.definition.question("ident_verktoy").options]
    second = client.post(base(draft) + "sporsmal/ident_verktoy/", {**data, "bekreft": "ja"})
    assert second.status_code == 302
    draft.refresh_from_db()
    assert "spict" not in [o.code for o in draft.definition.question("ident_verktoy").options]


def test_the_remove_page_names_the_rules_and_the_leader_can_keep_the_question(as_, draft):
    reply = as_("leder").get(base(draft) + "sporsmal/koord_finnes/slett/")
    text = page(reply)
    assert "Anbefaling: ORG-01" in text and "Nei, behold det" in text
    assert "I utkastet vises koord_stilling_pct bare ut fra svaret på dette spørsmålet." in text


def test_a_question_another_question_depends_on_is_not_removed(as_, draft):
    reply = as_("leder").post(base(draft) + "sporsmal/koord_finnes/slett/")
    assert reply.status_code == 409
    assert "Ikke slettet: spørsmålene koord_stilling_pct vises bare ut fra svaret" in page(reply)
    draft.refresh_from_db()
    assert draft.definition.has_question("koord_finnes")


def test_a_question_nothing_reads_is_removed(as_, draft):
    reply = as_("leder").post(base(draft) + "sporsmal/fagdag_dato/slett/")
    assert reply.status_code == 302
    draft.refresh_from_db()
    assert not draft.definition.has_question("fagdag_dato")


def test_moving_a_question_above_the_one_its_condition_reads_is_refused_with_a_message(as_, draft):
    client = as_("leder")
    reply = client.post(
        base(draft) + "flytt/",
        {"hva": "sporsmal", "nokkel": "koord_stilling_pct", "retning": "opp"},
    )
    assert reply.status_code == 302
    assert "Ikke flyttet: viser til spørsmålet 'koord_finnes'" in page(
        client.get(reply["Location"])
    )
    client.post(
        base(draft) + "flytt/", {"hva": "sporsmal", "nokkel": "ident_verktoy", "retning": "opp"}
    )
    draft.refresh_from_db()
    keys = [q.key for q in draft.definition.sections[1].questions]
    assert keys == ["koord_finnes", "koord_stilling_pct", "ident_verktoy", "enhet_pleiefaktor_dag"]


# --------------------------------------------------------------------------- into use


def test_an_unchanged_copy_does_not_become_a_version(as_, draft):
    reply = as_("leder").post(base(draft) + "ta-i-bruk/")
    assert reply.status_code == 409
    assert "ingen endringer fra versjon 1" in page(reply)
    assert QuestionnaireVersion.objects.count() == 1


def test_take_into_use_then_a_draft_survey_moves_to_it_and_an_open_one_cannot(
    as_, draft, survey, horten, people
):
    client = as_("leder")
    client.post(
        base(draft) + "sporsmal/koord_finnes/",
        question_post(draft, "koord_finnes", tekst="Har kommunen en kreftkoordinator i dag?"),
    )
    confirm = page(client.get(base(draft) + "ta-i-bruk/"))
    assert "Teksten er endret (før: «Har kommunen kreftkoordinator?»)" in confirm
    reply = client.post(base(draft) + "ta-i-bruk/")
    version = QuestionnaireVersion.objects.get(version=2)
    assert reply["Location"] == f"/sporreskjema/versjon/{version.pk}/"
    assert not QuestionnaireDraft.objects.exists()
    assert AuditEntry.objects.filter(action="questionnaire.version_created").exists()
    # A draft survey moves to version 2 in its settings.
    planned = Survey.objects.create(slug="neste", title="Neste", questionnaire=survey.questionnaire)
    planned.organisations.set([horten])
    planned.memberships.create(user=people["leder"], role=Membership.Role.LEADER)
    shown = page(client.get(reply["Location"]))
    assert "Neste" in shown and "flytt den til den nye versjonen" in shown
    settings = client.get("/kartlegginger/neste/innstillinger/")
    form = settings.context["form"]
    data = {
        name: form[name].value() or ""
        for name in form.fields
        if name not in ("counties", "others", "all_municipalities")
    }
    data["questionnaire"] = str(version.pk)
    data["hospital_questionnaire"] = ""
    assert client.post("/kartlegginger/neste/innstillinger/", data).status_code == 302
    planned.refresh_from_db()
    assert planned.questionnaire == version
    # The open survey keeps version 1 whatever is posted.
    data["slug"], data["title"] = "test", survey.title
    client.post("/kartlegginger/test/innstillinger/", data)
    survey.refresh_from_db()
    assert survey.questionnaire.version == 1


def test_the_comparison_page_says_what_changed(as_, draft, survey):
    client = as_("leder")
    client.post(base(draft) + "sporsmal/fagdag_dato/slett/")
    reply = client.get(
        f"/sporreskjema/sammenlign/?fra=v-{survey.questionnaire.pk}&til=u-{draft.pk}"
    )
    text = page(reply)
    assert "1 spørsmål fjernet" in text and "fagdag_dato" in text


# --------------------------------------------------------------------------- files


def test_excel_download_edit_and_upload_gives_a_new_draft(as_, survey):
    client = as_("leder")
    data = client.get(f"/sporreskjema/versjon/{survey.questionnaire.pk}/fil.xlsx").content
    book = load_workbook(io.BytesIO(data))
    book["spørsmål"]["D2"] = "Hvilken rolle har du i kommunen?"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "mini.xlsx"
    reply = client.post("/sporreskjema/last-opp/", {"file": out})
    assert reply.status_code == 302
    draft = QuestionnaireDraft.objects.get()
    assert draft.definition.question("respondent_rolle").text == "Hvilken rolle har du i kommunen?"
    assert AuditEntry.objects.filter(action="questionnaire.downloaded").exists()
    assert AuditEntry.objects.filter(action="questionnaire.draft_uploaded").exists()


def test_a_broken_workbook_lists_every_problem_and_saves_nothing(as_, survey):
    client = as_("leder")
    data = client.get(f"/sporreskjema/versjon/{survey.questionnaire.pk}/fil.xlsx").content
    book = load_workbook(io.BytesIO(data))
    book["spørsmål"]["C3"] = "tall"
    book["spørsmål"]["B5"] = "koord_finnes"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "mini.xlsx"
    reply = client.post("/sporreskjema/last-opp/", {"file": out})
    assert reply.status_code == 422
    text = page(reply)
    assert "Ark «spørsmål», rad 3, kolonne «type»: ukjent type 'tall'" in text
    assert "Ark «spørsmål», rad 5, kolonne «nokkel»: nøkkelen 'koord_finnes' er brukt før" in text
    assert not QuestionnaireDraft.objects.exists()


def test_a_fhir_file_uploads_as_a_draft_with_what_could_not_be_kept(as_, survey):
    client = as_("leder")
    exported = client.get(f"/sporreskjema/versjon/{survey.questionnaire.pk}/fil.fhir").content
    upload = io.BytesIO(exported)
    upload.name = "mini.json"
    reply = client.post("/sporreskjema/last-opp/", {"file": upload})
    assert reply.status_code == 302
    assert QuestionnaireDraft.objects.get().definition == survey.questionnaire.definition


# --------------------------------------------------------------------------- preview


def test_the_preview_shows_a_section_as_the_respondent_sees_it_and_stores_nothing(as_, draft):
    client = as_("leder")
    reply = client.get(base(draft) + "forhandsvisning/side/?del=2")
    text = page(reply)
    assert "Forhåndsvisning av utkastet – svar lagres ikke." in text
    assert 'data-sporsmal="koord_stilling_pct" hidden' in text
    assert "Hovedmeny" not in text  # the respondent's page, no staff menu
    answered = client.post(
        base(draft) + "forhandsvisning/side/",
        {"koord_finnes": "ja", "_sporsmal": "koord_finnes"},
        HTTP_HX_REQUEST="true",
    )
    assert answered.status_code == 204
    assert '"koord_stilling_pct"' in answered["HX-Trigger"]
    assert reply["X-Frame-Options"] == "SAMEORIGIN"
