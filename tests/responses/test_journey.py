"""The respondent's journey through Django's test client."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kartlegging.responses.models import Answer, Response
from tests.conftest import invite

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def autosave(client, invited, section, key, *values, version=None):
    data = {"_sporsmal": key, key: list(values)}
    if version is not None:
        data[f"_v_{key}"] = str(version)
    return client.post(invited.url(f"del/{section}/"), data, **HTMX)


def stored(invited) -> dict:
    return Response.objects.get(respondent=invited.respondent).answer_values()


def test_welcome_page_tells_who_asks_deadline_and_what_is_stored(client, invited):
    page = client.get(invited.url()).content.decode()
    assert "Testkartlegging" in page
    assert "USHT Test" in page
    assert "15. februar 2027" in page
    assert "kari@horten.example" in page
    assert "omtrent 3–4 minutter" in page  # computed (questionnaires/estimate.py)
    assert "Hvem ser svarene" in page


def test_section_page_shows_progress_and_section_list(client, invited):
    page = client.get(invited.url("del/organisering/")).content.decode()
    assert "Del 2 av 3" in page
    assert 'aria-current="step"' in page
    assert "Har kommunen kreftkoordinator?" in page


def test_autosave_stores_answer_and_says_when(client, invited):
    client.get(invited.url())
    reply = autosave(client, invited, "organisering", "koord_finnes", "ja")
    assert reply.status_code == 200
    assert "Lagret kl." in reply.content.decode()
    assert stored(invited) == {"koord_finnes": "ja"}


def test_answers_survive_reload_and_another_device(client, invited, django_user_model):
    autosave(client, invited, "organisering", "koord_finnes", "ja")
    autosave(client, invited, "organisering", "koord_stilling_pct", "60")
    from django.test import Client

    other_device = Client()
    page = other_device.get(invited.url("del/organisering/")).content.decode()
    assert 'value="ja" checked' in page
    assert 'value="60"' in page


def test_continue_link_resumes_at_the_last_changed_section(client, invited):
    assert invited.url("del/bakgrunn/") in client.get(invited.url()).content.decode()
    autosave(client, invited, "organisering", "koord_finnes", "ja")
    page = client.get(invited.url()).content.decode()
    assert "Fortsett der du slapp" in page
    assert invited.url("del/organisering/") in page


def test_autosave_reports_conditional_questions_to_show(client, invited):
    reply = autosave(client, invited, "organisering", "koord_finnes", "ja")
    trigger = reply.headers["HX-Trigger"]
    assert "koord_stilling_pct" in trigger
    reply = autosave(client, invited, "organisering", "koord_finnes", "nei", version=1)
    assert "koord_stilling_pct" not in reply.headers["HX-Trigger"]


def test_hidden_question_is_rendered_hidden(client, invited):
    page = client.get(invited.url("del/organisering/")).content.decode()
    assert 'id="sp-koord_stilling_pct" data-sporsmal="koord_stilling_pct" hidden' in page


def test_out_of_range_number_is_rejected_and_nothing_changes(client, invited):
    autosave(client, invited, "organisering", "koord_finnes", "ja")
    autosave(client, invited, "organisering", "koord_stilling_pct", "50")
    reply = autosave(client, invited, "organisering", "koord_stilling_pct", "5000", version=1)
    assert reply.status_code == 422
    assert "Skriv et tall mellom 0 og 1\u00a0000 % stilling." in reply.content.decode()
    assert stored(invited)["koord_stilling_pct"] == 50


def test_decimal_comma_is_accepted(client, invited):
    autosave(client, invited, "organisering", "enhet_pleiefaktor_dag", "0,5")
    assert stored(invited)["enhet_pleiefaktor_dag"] == 0.5


@pytest.mark.parametrize(
    "values, message",
    [
        (["hackerkode"], "Velg et av alternativene."),
        (["ja", "nei"], "Velg bare ett svar."),
    ],
)
def test_tampered_choice_is_rejected(client, invited, values, message):
    reply = autosave(client, invited, "organisering", "koord_finnes", *values)
    assert reply.status_code == 422
    assert message in reply.content.decode()
    assert stored(invited) == {}


def test_exclusive_option_cannot_be_combined(client, invited):
    reply = autosave(client, invited, "organisering", "ident_verktoy", "spict", "ingen")
    assert reply.status_code == 422
    assert "«Ingen» kan ikke kombineres med andre svar." in reply.content.decode()


def test_text_over_10000_characters_is_rejected(client, invited):
    reply = autosave(client, invited, "kompetanse", "kompetanse_utdyp", "x" * 10_001)
    assert reply.status_code == 422
    assert "kan ikke være lengre enn 10\u00a0000 tegn" in reply.content.decode()


def test_autosave_of_question_from_another_section_is_refused(client, invited):
    reply = autosave(client, invited, "bakgrunn", "koord_finnes", "ja")
    assert reply.status_code == 400
    assert stored(invited) == {}


def test_stale_version_does_not_overwrite_newer_answer(client, invited):
    autosave(client, invited, "organisering", "koord_finnes", "ja")  # version 1
    autosave(client, invited, "organisering", "koord_finnes", "nei", version=1)  # version 2
    reply = autosave(client, invited, "organisering", "koord_finnes", "vet_ikke", version=1)
    assert reply.status_code == 422
    assert "endret i et annet vindu" in reply.content.decode()
    assert stored(invited)["koord_finnes"] == "nei"


def test_plain_post_saves_section_and_goes_to_next(client, invited):
    reply = client.post(
        invited.url("del/bakgrunn/"), {"respondent_rolle": "kreftkoordinator", "ga": "neste"}
    )
    assert reply.status_code == 302
    assert reply["Location"] == invited.url("del/organisering/")
    assert stored(invited) == {"respondent_rolle": "kreftkoordinator"}


def test_plain_post_with_error_changes_nothing_and_shows_summary(client, invited):
    reply = client.post(
        invited.url("del/organisering/"),
        {"koord_finnes": "ja", "enhet_pleiefaktor_dag": "mye", "ga": "neste"},
    )
    assert reply.status_code == 422
    page = reply.content.decode()
    assert "Svarene ble ikke lagret. Rett opp dette først:" in page
    assert 'href="#inp-enhet_pleiefaktor_dag"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="mye"' in page  # what the respondent typed is kept on the page
    assert stored(invited) == {}


def test_plain_post_stays_when_follow_up_questions_appear(client, invited):
    reply = client.post(invited.url("del/organisering/"), {"koord_finnes": "ja", "ga": "neste"})
    assert reply["Location"] == invited.url("del/organisering/") + "#sp-koord_stilling_pct"
    page = client.get(reply["Location"]).content.decode()
    assert "Nye oppfølgingsspørsmål vises" in page


def test_hidden_answers_are_not_counted_or_shown_in_summary(client, invited):
    autosave(client, invited, "organisering", "koord_finnes", "ja")
    autosave(client, invited, "organisering", "koord_stilling_pct", "40")
    autosave(client, invited, "organisering", "koord_finnes", "nei", version=1)
    page = client.get(invited.url("oppsummering/")).content.decode()
    assert "Hvor stor er stillingsressursen?" not in page
    assert "40 % stilling" not in page


def test_summary_lists_missing_required_with_links(client, invited):
    page = client.get(invited.url("oppsummering/")).content.decode()
    assert "Noen spørsmål må besvares" in page
    assert invited.url("del/bakgrunn/") + "#sp-respondent_rolle" in page


def test_submit_with_missing_required_is_refused(client, invited):
    reply = client.post(invited.url("send-inn/"))
    assert reply.status_code == 422
    assert "Svarene ble ikke sendt inn" in reply.content.decode()
    assert not Response.objects.get(respondent=invited.respondent).is_submitted


def submit_complete(client, invited):
    autosave(client, invited, "bakgrunn", "respondent_rolle", "kreftkoordinator")
    autosave(client, invited, "organisering", "koord_finnes", "ja")
    return client.post(invited.url("send-inn/"))


def test_submit_locks_and_shows_receipt(client, invited):
    reply = submit_complete(client, invited)
    assert reply.status_code == 302
    page = client.get(invited.url()).content.decode()
    assert "Takk! Svarene dine er sendt inn." in page
    assert "Sendt inn" in page and " kl. " in page
    assert "Kreftkoordinator" in page
    reply = autosave(client, invited, "organisering", "koord_finnes", "nei")
    assert stored(invited)["koord_finnes"] == "ja"


def test_submitting_twice_is_submitting_once(client, invited):
    submit_complete(client, invited)
    first = Response.objects.get(respondent=invited.respondent).submitted_at
    reply = client.post(invited.url("send-inn/"))
    assert reply.status_code == 302
    assert Response.objects.get(respondent=invited.respondent).submitted_at == first


def test_after_submit_section_pages_lead_to_the_receipt(client, invited):
    submit_complete(client, invited)
    reply = client.get(invited.url("del/bakgrunn/"))
    assert reply.status_code == 302 and reply["Location"] == invited.url()


@pytest.mark.parametrize("token", ["abc", "x" * 43, "not/a/token", "A" * 200])
def test_bad_tokens_give_the_same_norwegian_404(client, invited, token):
    reply = client.get(f"/s/{token}/")
    assert reply.status_code == 404
    page = reply.content.decode()
    assert "Fant ikke siden" in page
    assert "Testkartlegging" not in page


def test_closed_survey_says_so_politely(client, invited, survey):
    survey.close()
    reply = client.get(invited.url("del/bakgrunn/"))
    assert reply.status_code == 200
    assert "Kartleggingen er avsluttet" in reply.content.decode()
    assert not Answer.objects.exists()


def test_autosave_on_a_closed_survey_says_not_saved(client, invited, survey):
    survey.close()
    reply = autosave(client, invited, "bakgrunn", "respondent_rolle", "annet")
    assert reply.status_code == 409
    text = reply.content.decode()
    assert 'id="lagrestatus"' in text and "feilet" in text
    assert "Ikke lagret – kartleggingen er lukket" in text
    assert "<h1" not in text  # a status fragment, not the whole polite page
    assert not Answer.objects.exists()


def test_autosave_on_a_draft_survey_says_not_saved(client, invited, survey):
    survey.state = survey.State.DRAFT
    survey.save()
    reply = autosave(client, invited, "bakgrunn", "respondent_rolle", "annet")
    assert reply.status_code == 409
    assert "Ikke lagret – kartleggingen er ikke åpnet for svar ennå." in reply.content.decode()


def test_autosave_of_a_removed_respondent_is_gone(client, invited):
    invited.respondent.removed_at = timezone.now()
    invited.respondent.save()
    reply = autosave(client, invited, "bakgrunn", "respondent_rolle", "annet")
    assert reply.status_code == 410
    assert "Ikke lagret – lenken din er ikke lenger i bruk." in reply.content.decode()
    assert not Answer.objects.exists()


def test_save_after_submit_in_another_tab_says_so_and_keeps_what_was_typed(client, invited):
    submit_complete(client, invited)
    reply = autosave(client, invited, "kompetanse", "kompetanse_utdyp", "Skrevet i den andre fanen")
    assert reply.status_code == 409
    assert "allerede sendt inn, kanskje fra en annen fane" in reply.content.decode()
    plain = client.post(
        invited.url("del/kompetanse/"), {"kompetanse_utdyp": "Skrevet i den andre fanen"}
    )
    assert plain.status_code == 409
    page = plain.content.decode()
    assert "allerede sendt inn" in page and "Skrevet i den andre fanen" in page
    assert "kompetanse_utdyp" not in stored(invited)


def test_draft_survey_is_not_open_yet(client, invited, survey):
    survey.state = survey.State.DRAFT
    survey.save()
    assert "ikke åpnet ennå" in client.get(invited.url()).content.decode()


def test_respondent_sees_only_own_answers(client, invited, survey, horten):
    colleague = invite(survey, horten, email="ola@horten.example", name="Ola Kollega")
    autosave(client, invited, "kompetanse", "kompetanse_utdyp", "Kari sitt hemmelige svar")
    page = client.get(colleague.url("del/kompetanse/")).content.decode()
    assert "Kari sitt hemmelige svar" not in page


def test_user_text_is_escaped(client, invited):
    autosave(client, invited, "kompetanse", "kompetanse_utdyp", "<script>alert(1)</script>")
    page = client.get(invited.url("oppsummering/")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_forms_are_csrf_protected(invited):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    reply = strict.post(invited.url("del/bakgrunn/"), {"respondent_rolle": "annet"})
    assert reply.status_code == 403
    assert "Siden er utløpt" in reply.content.decode()


def test_autosave_refuses_control_characters_and_keeps_line_breaks(client, invited):
    reply = autosave(client, invited, "kompetanse", "kompetanse_utdyp", "abc\x00def")
    assert "usynlig kontrolltegn" in reply.content.decode()
    assert "Lagret kl." not in reply.content.decode()
    assert stored(invited) == {}
    reply = autosave(client, invited, "kompetanse", "kompetanse_utdyp", "linje 1\r\nlinje\t2")
    assert "Lagret kl." in reply.content.decode()
    assert stored(invited) == {"kompetanse_utdyp": "linje 1\nlinje\t2"}
