"""The survey's audit trail for its project leader: filter by action, person and date; CSV."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kartlegging.accounts.decorators import staff_required
from kartlegging.core.models import AuditEntry, audit
from kartlegging.core.spreadsheets import csv_bytes, local_naive
from kartlegging.surveys.access import survey_for

PAGE_SIZE = 100


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _filtered(entries: QuerySet, request: HttpRequest) -> tuple[QuerySet, dict[str, str]]:
    chosen = {key: request.GET.get(key, "").strip() for key in ("handling", "person", "fra", "til")}
    if chosen["handling"]:
        entries = entries.filter(action=chosen["handling"])
    if chosen["person"]:
        entries = entries.filter(actor_name=chosen["person"])
    if start := _day(chosen["fra"]):
        entries = entries.filter(at__date__gte=start)
    if end := _day(chosen["til"]):
        entries = entries.filter(at__date__lte=end)
    return entries, chosen


@staff_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    everything = AuditEntry.objects.filter(survey_pk=survey.pk)
    entries, chosen = _filtered(everything, request)
    if request.GET.get("format") == "csv":
        audit("export.audit_log", request.user, survey)
        rows = (
            [local_naive(e.at), e.action, e.actor_name, e.data]
            for e in entries.order_by("at", "pk")
        )
        header = [_("Tidspunkt"), _("Handling"), _("Bruker"), _("Detaljer")]
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="logg-{survey.slug}-{stamp}.csv"'
        return response
    page = Paginator(entries.order_by("-at", "-pk"), PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "surveys/audit_log.html",
        {
            "survey": survey,
            "page": page,
            "chosen": chosen,
            "query": query.urlencode(),
            "actions": everything.order_by("action").values_list("action", flat=True).distinct(),
            "people": everything.exclude(actor_name="")
            .order_by("actor_name")
            .values_list("actor_name", flat=True)
            .distinct(),
        },
    )
