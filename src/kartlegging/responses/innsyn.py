"""Access requests (GDPR art. 15, «innsyn»): everything the survey holds about one respondent.

The project leader downloads it as JSON (machine-readable, art. 20) or PDF and sends it to
the person. It lists the personal data, the e-mails sent, the personal links (when made,
never the token), the answers as the respondent read them, and what the project group did
with the record (from the audit trail, without staff names).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kartlegging.accounts.decorators import staff_required
from kartlegging.core.models import AuditEntry, audit
from kartlegging.responses.models import Response
from kartlegging.responses.services import answered_sections
from kartlegging.surveys.access import respondent_in, survey_for
from kartlegging.surveys.models import Respondent

# What the audit trail's actions mean to the person the record is about.
ACTIONS = {
    "respondent.added": _lazy("Lagt til som respondent"),
    "respondent.imported": _lazy("Lagt til som respondent (fra fil)"),
    "respondent.changed": _lazy("Opplysningene ble endret"),
    "respondent.viewed": _lazy("Svarene ble sett av prosjektgruppen"),
    "respondent.inviter": _lazy("Ny invitasjon sendt"),
    "respondent.paminn": _lazy("Påminnelse sendt"),
    "respondent.lenke": _lazy("Ny personlig lenke laget"),
    "respondent.gjenapne": _lazy("Svarene ble åpnet igjen for endring"),
    "respondent.fjern": _lazy("Fjernet fra kartleggingen"),
    "respondent.handed_on": _lazy("Oppgaven ble gitt videre"),
    "respondent.handover_undone": _lazy("Overlatingen ble angret"),
    "respondent.access_exported": _lazy("Innsyn ble tatt ut"),
}


def _when(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None


def _iso(value: dt.datetime | dt.date) -> str:
    """JSON for the dates `access_report` leaves as objects (the PDF formats them itself)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _person(respondent: Respondent) -> dict[str, str]:
    return {"navn": respondent.display_name, "e_post": respondent.email}


def access_report(respondent: Respondent) -> dict[str, Any]:
    survey = respondent.survey
    response = Response.objects.filter(respondent=respondent).first()
    answers: list[dict[str, str]] = []
    if response is not None:
        questionnaire = survey.questionnaire_for(respondent.organisation).definition
        for section, rows in answered_sections(questionnaire, response.answer_values()):
            answers += [
                {"del": section.title, "sporsmal": q.text, "nokkel": q.key, "svar": answer}
                for q, answer in rows
            ]
    events = AuditEntry.objects.filter(survey_pk=survey.pk, data__respondent=respondent.pk)
    return {
        "utskrevet": _when(timezone.now()),
        "kartlegging": {
            "tittel": survey.title,
            "gjennomfores_av": survey.owner_name,
            "kontakt": survey.contact_email,
            "slettedato": survey.deletion_date,
            "slettes_maneder_etter_lukking": survey.retention_months,
        },
        "person": {
            "navn": respondent.name,
            "e_post": respondent.email,
            "rolle": respondent.role,
            "organisasjon": respondent.organisation.name,
            "lagt_til": _when(respondent.created_at),
            "fjernet": _when(respondent.removed_at),
            "personopplysninger_slettet": _when(respondent.anonymised_at),
        },
        "overlatt_til": {
            **_person(respondent.handed_to),
            "dato": _when(respondent.handed_at),
            "beskjed": respondent.handover_message,
        }
        if respondent.handed_to
        else None,
        "fikk_oppgaven_fra": [_person(giver) for giver in respondent.handed_from.all()],
        "lenker": [
            {"laget": _when(t.created_at), "trukket_tilbake": _when(t.revoked_at)}
            for t in respondent.tokens.order_by("created_at")
        ],
        "e_post": [
            {
                "type": email.get_kind_display(),
                "til": email.to,
                "emne": email.subject,
                "lagt_i_ko": _when(email.queued_at),
                "sendt": _when(email.sent_at),
                "feilet": _when(email.failed_at),
            }
            for email in respondent.emails.order_by("queued_at")
        ],
        "besvarelse": response
        and {
            "status": response.get_status_display(),
            "apnet": _when(response.opened_at),
            "sist_endret": _when(response.updated_at),
            "levert": _when(response.submitted_at),
            "svar": answers,
        },
        "behandling": [
            {"tidspunkt": _when(e.at), "handling": str(ACTIONS.get(e.action, e.action))}
            for e in events.order_by("at", "pk")
        ],
    }


@staff_required
def innsyn(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("json", "pdf"):
        raise Http404
    survey = survey_for(request.user, slug, manage=True)
    respondent = respondent_in(survey, pk)
    audit("respondent.access_exported", request.user, survey, respondent=respondent.pk, format=fmt)
    report = access_report(respondent)
    if fmt == "json":
        body = json.dumps(report, ensure_ascii=False, indent=2, default=_iso).encode()
        reply = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        from weasyprint import HTML

        html = render_to_string("responses/innsyn.html", {"report": report})
        reply = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d")
    name = _("innsyn")
    reply["Content-Disposition"] = (
        f'attachment; filename="{name}-{slug}-{respondent.pk}-{stamp}.{fmt}"'
    )
    return reply
