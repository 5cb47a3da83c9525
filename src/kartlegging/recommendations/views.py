"""Recommendations for the survey's users: overview, scorecard per organisation, region.

The project leader accepts, edits or dismisses findings and sets local thresholds;
the project group sees everything but changes nothing. Every change is audited.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kartlegging.accounts.decorators import staff_required
from kartlegging.analysis.table import build_table
from kartlegging.core.forms import DsForm
from kartlegging.core.models import audit
from kartlegging.recommendations import regional, versions
from kartlegging.recommendations.exporting import FORMATS
from kartlegging.recommendations.models import FindingDecision, RuleParameter
from kartlegging.recommendations.rules import shared_parameters
from kartlegging.recommendations.service import (
    LOCAL_ON,
    catchment_threshold,
    finding_texts,
    left_out,
    local_enabled,
    places,
    scorecards,
    survey_parameters,
    threshold,
)
from kartlegging.recommendations.versions import rules_for
from kartlegging.surveys.access import membership_for, survey_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class StaffRequest(HttpRequest):
    """For the type checker: a request that got past @staff_required has a logged-in user."""

    user: User


class DecisionForm(DsForm):
    action = forms.ChoiceField(
        label=gettext_lazy("Vurdering"),
        choices=FindingDecision.Action.choices,
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(
        label=gettext_lazy("Funn (egen formulering)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommendation = forms.CharField(
        label=gettext_lazy("Anbefaling (egen formulering)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns
        action = data.get("action")
        if action == FindingDecision.Action.DISMISSED and not data.get("reason", "").strip():
            self.add_error("reason", _("Skriv hvorfor funnet avvises."))
        if action == FindingDecision.Action.EDITED and not (
            data.get("finding", "").strip() or data.get("recommendation", "").strip()
        ):
            self.add_error("finding", _("Skriv funnet eller anbefalingen med egne ord."))
        return data


@staff_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    survey = membership.survey
    pinned = versions.version_for(survey)
    rules = versions.parsed(pinned)
    stored = survey_parameters(survey)
    cards = scorecards(survey, rules, parameters=stored)
    used = {f.rule.id for card in cards for f in card.findings}
    thresholds = [
        (name, parameter, rule_ids, threshold(rules, stored, name), used.isdisjoint(rule_ids))
        for name, (parameter, rule_ids) in shared_parameters(rules).items()
    ]
    skipped = left_out(cards)
    return render(
        request,
        "recommendations/overview.html",
        {
            "survey": survey,
            "cards": cards,
            "thresholds": thresholds,
            "can_manage": membership.is_leader,
            "rules": rules,
            # The rules some organisation of the survey is scored on.
            "in_use": len(used),
            "left_out": skipped,
            "rules_version": pinned,
            "newer_rules": versions.current_version().version > pinned.version,
        },
    )


@staff_required
def scorecard(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    survey = membership.survey
    get_object_or_404(survey.organisations, number=number)
    card = scorecards(survey, only=number)[0]
    sections = [
        (label, [(f, *finding_texts(f)) for f in findings]) for label, findings in card.by_theme()
    ]
    return render(
        request,
        "recommendations/scorecard.html",
        {
            "survey": survey,
            "card": card,
            "sections": sections,
            "can_manage": membership.is_leader,
            "actions": FindingDecision.Action,
            "left_out": card.left_out,
        },
    )


@staff_required
@require_POST
def decide(request: StaffRequest, slug: str, number: str, rule_id: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    organisation = get_object_or_404(survey.organisations, number=number)
    if rule_id not in {r.id for r in rules_for(survey).rules}:
        raise Http404
    if request.POST.get("angre") == "1":
        FindingDecision.objects.filter(survey=survey, organisation=number, rule=rule_id).delete()
        audit("finding.reset", request.user, survey, organisation=number, rule=rule_id)
        messages.success(request, _("Vurderingen av %(rule)s er fjernet.") % {"rule": rule_id})
        return redirect(f"{_scorecard_url(slug, number)}#{rule_id}")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("%(rule)s ble ikke lagret: %(errors)s") % {
            "rule": rule_id, "errors": errors})  # fmt: skip
        return redirect(f"{_scorecard_url(slug, number)}#{rule_id}")
    data = form.cleaned_data
    edited = data["action"] == FindingDecision.Action.EDITED
    FindingDecision.objects.update_or_create(
        survey=survey,
        organisation=organisation.number,
        rule=rule_id,
        defaults={
            "action": data["action"],
            "finding": data["finding"].strip() if edited else "",
            "recommendation": data["recommendation"].strip() if edited else "",
            "reason": data["reason"].strip(),
            "decided_by": request.user,
        },
    )
    audit("finding.decided", request.user, survey, organisation=number, rule=rule_id,
          decision=data["action"])  # fmt: skip
    messages.success(request, _("Vurderingen av %(rule)s er lagret.") % {"rule": rule_id})
    return redirect(f"{_scorecard_url(slug, number)}#{rule_id}")


def _scorecard_url(slug: str, number: str) -> str:
    return reverse("recommendations:scorecard", kwargs={"slug": slug, "number": number})


@staff_required
@require_POST
def set_thresholds(request: StaffRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    rules = rules_for(survey)
    problems = []
    # One value per threshold name: rules that share a threshold (ORG-03/04/11) stay consistent.
    for name, (parameter, rule_ids) in shared_parameters(rules).items():
        raw = request.POST.get(name, "").strip().replace(",", ".")
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            problems.append(_("%(field)s: «%(raw)s» er ikke et tall") % {
                "field": parameter.text, "raw": raw})  # fmt: skip
            continue
        if not math.isfinite(value):  # float() also reads «NaN», «inf» and «1e309»
            problems.append(_("%(field)s: «%(raw)s» er ikke et tall") % {
                "field": parameter.text, "raw": raw})  # fmt: skip
            continue
        if value < 0:
            problems.append(_("%(field)s kan ikke være negativ") % {"field": parameter.text})
            continue
        if value == parameter.default:  # back to the rule file's value: nothing to store
            RuleParameter.objects.filter(survey=survey, rule__in=rule_ids, name=name).delete()
        else:
            for rule_id in rule_ids:
                RuleParameter.objects.update_or_create(
                    survey=survey,
                    rule=rule_id,
                    name=name,
                    defaults={"value": value, "changed_by": request.user},
                )
        audit("threshold.set", request.user, survey, name=name, value=value, rules=rule_ids)
    if problems:
        messages.error(request, _("Noen terskler ble ikke lagret: ") + "; ".join(problems))
    else:
        messages.success(request, _("Tersklene er lagret."))
    return redirect("recommendations:overview", slug=slug)


@staff_required
def knowledge(request: StaffRequest, slug: str) -> HttpResponse:
    """«Kunnskapsgrunnlag»: every rule with its sources, verification status and the notes
    behind it, for the project leader only. Readers of pages, the report and exports see the
    sources, never these working notes. A POST turns the local proposals on or off for the
    survey (they are off until the leader chooses them)."""
    survey = survey_for(request.user, slug, manage=True)
    rules = rules_for(survey)
    if request.method == "POST":
        for rule in (r for r in rules.rules if r.local):
            wanted = request.POST.get(f"lokal-{rule.id}") == "1"
            stored = RuleParameter.objects.filter(survey=survey, rule=rule.id, name=LOCAL_ON)
            if wanted == stored.exists():
                continue
            if wanted:
                RuleParameter.objects.create(
                    survey=survey, rule=rule.id, name=LOCAL_ON, value=1, changed_by=request.user
                )
            else:
                stored.delete()
            audit("rule.local", request.user, survey, rule=rule.id, enabled=wanted)
        messages.success(request, _("Valget av lokale forslag er lagret."))
        return redirect("recommendations:knowledge", slug=slug)
    parameters = survey_parameters(survey)
    return render(
        request,
        "recommendations/knowledge.html",
        {
            "survey": survey,
            "rules": rules,
            "local_rules": [r for r in rules.rules if r.local],
            "enabled": {r.id for r in rules.rules if r.local and local_enabled(r, parameters)},
        },
    )


@staff_required
def region(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug)
    rules = rules_for(survey)
    parameters = survey_parameters(survey)
    cards = scorecards(survey, rules, parameters=parameters)
    municipalities = places(cards)
    header, rows = regional.matrix(municipalities)
    return render(
        request,
        "recommendations/region.html",
        {
            "survey": survey,
            "header": header,
            "rows": rows,
            "opportunities": regional.opportunities(
                municipalities, catchment_threshold(rules, parameters)
            ),
        },
    )


@staff_required
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    survey = survey_for(request.user, slug)
    if fmt not in FORMATS:
        raise Http404
    content_type, render_rows = FORMATS[fmt]
    data = render_rows(scorecards(survey))
    audit("export.recommendations", request.user, survey, format=fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="anbefalinger-{survey.slug}.{fmt}"'
    return response


@staff_required
def rules_version(request: StaffRequest, slug: str) -> HttpResponse:
    """«Regelversjon»: which version of the rules the survey is analysed with; when the rules
    file has a newer one, which findings would change, and (for the leader, after a tick)
    moving the survey to it."""
    membership = membership_for(request.user, slug, manage=request.method == "POST")
    survey = membership.survey
    current = versions.version_for(survey)
    newest = versions.current_version()
    unconfirmed = False
    if request.method == "POST":
        if newest.version <= current.version or request.POST.get("versjon") != str(newest.version):
            raise Http404  # only forward, to the newest version shown on the page
        if request.POST.get("bekreft") == "1":
            versions.move(survey, newest, request.user)
            messages.success(
                request,
                _("Kartleggingen bruker nå regelversjon %(n)s.") % {"n": newest.version},
            )
            return redirect("recommendations:rules_version", slug=slug)
        unconfirmed = True
    changes = []
    if newest.version > current.version:
        # One read of the answers for both versions' scorecards.
        table, parameters = build_table(survey), survey_parameters(survey)
        changes = versions.changed_findings(
            *(
                scorecards(survey, versions.parsed(v), parameters=parameters, table=table)
                for v in (current, newest)
            )
        )
    return render(
        request,
        "recommendations/rules_version.html",
        {
            "survey": survey,
            "current": current,
            "newest": newest,
            "changes": changes,
            "can_manage": membership.is_leader,
            "unconfirmed": unconfirmed,
        },
    )
