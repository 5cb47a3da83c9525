"""Evaluate one rule for one organisation: pure, no database.

The caller gathers the organisation's answers (agreed or leader-chosen facts,
derived values such as nedslagsfelt) as `Input`s; this module decides the status
and fills the texts. Status:

- avvik: the condition holds (the organisation deviates from the recommendation)
- i_trad: it does not
- ikke_relevant: the rule's `gjelder_nar` is false (e.g. no unit, so no unit staffing)
- ikke_vurdert: an answer that decides the outcome is missing, «Vet ikke» or disputed,
  or the questionnaire does not ask what the rule needs

Every status comes with a text that is true for it (`Finding.status_text`): the finding only
for avvik, a short «i tråd» text for compliant rows, and for ikke vurdert the questions whose
answers are missing, by their text.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from kartlegging.questionnaires.conditions import UNKNOWN
from kartlegging.recommendations.rules import DERIVED, Rule

DEVIATION, IN_LINE, NOT_RELEVANT, NOT_ASSESSED = "avvik", "i_trad", "ikke_relevant", "ikke_vurdert"
STATUS_LABELS = {
    DEVIATION: N_("Avvik"),
    IN_LINE: N_("I tråd med anbefaling"),
    NOT_RELEVANT: N_("Ikke relevant"),
    NOT_ASSESSED: N_("Ikke vurdert"),
}
OK, MISSING, DONT_KNOW, DISPUTED = "ok", "mangler", "vet_ikke", "uenige"


@dataclass(frozen=True)
class Input:
    """One named value a rule reads, with the answers behind it."""

    name: str
    label: str  # the question text (or what a derived value means)
    value: Any = None  # as stored: option code, list of codes, number; None when not usable
    text: str = ""  # as the reader should see it
    respondents: tuple[str, ...] = ()  # roles of those who gave the answer
    state: str = MISSING

    @property
    def usable(self) -> bool:
        return self.state == OK


@dataclass
class Finding:
    rule: Rule
    organisation: str  # number
    organisation_name: str
    status: str
    inputs: list[Input] = field(default_factory=list)
    finding: str = ""  # filled from the answers; only for avvik
    recommendation: str = ""  # only for avvik
    reason: str = ""  # why not assessed, naming the questions by their text
    decision: Any = None  # the project leader's FindingDecision, if any
    absent: tuple[str, ...] = ()  # names the organisation's questionnaire does not ask

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])

    @property
    def status_text(self) -> str:
        """A text that is true for the status: never the deviation text for another status."""
        if self.status == DEVIATION:
            return self.finding
        if self.status == IN_LINE:
            return _("I tråd med anbefalingen: %(title)s.") % {"title": self.rule.title}
        if self.status == NOT_RELEVANT:
            return _("Ikke relevant for denne organisasjonen ut fra svarene.")
        return self.reason


def evaluate(
    rule: Rule,
    organisation: str,
    organisation_name: str,
    inputs: dict[str, Input],
    parameters: dict[str, float] | None = None,
    available: set[str] | None = None,
    labels: dict[str, str] | None = None,
) -> Finding:
    """The rule's finding for one organisation.

    `available` is the set of names the organisation's questionnaire can answer
    (question keys plus derived values); None means all. `parameters` override
    the rule's defaults by parameter name. `labels` gives the question text for a
    name the organisation's questionnaire lacks (from another questionnaire), so the
    reason names the question, not its key.
    """
    used = [inputs.get(name) or Input(name, (labels or {}).get(name, name)) for name in rule.reads]
    finding = Finding(rule, organisation, organisation_name, NOT_ASSESSED, used)
    absent = [name for name in rule.reads if available is not None and name not in available]
    if absent:
        finding.absent = tuple(absent)
        asked = "; ".join(f"«{(labels or {}).get(name, name)}»" for name in absent)
        finding.reason = _(
            "Ikke vurdert – spørreskjemaet organisasjonen har svart på, spør ikke om: %(asked)s"
        ) % {"asked": asked}
        return finding
    values = {i.name: i.value if i.usable else UNKNOWN for i in used}
    values |= {p.name: p.default for p in rule.parameters}
    values |= {k: v for k, v in (parameters or {}).items() if k in values}
    if rule.applies_when is not None:
        applies = rule.applies_when.evaluate(values)
        if applies is False:
            finding.status = NOT_RELEVANT
            return finding
        if applies is UNKNOWN:
            finding.reason = _missing_reason(used)
            return finding
    outcome = rule.condition.evaluate(values)
    if outcome is UNKNOWN:
        finding.reason = _missing_reason(used)
        return finding
    finding.status = DEVIATION if outcome else IN_LINE
    if not outcome:
        return finding  # the deviation texts would not be true here (see status_text)
    # Answers as the respondent reads them ("40 % stilling"); derived values as plain numbers,
    # since their text carries notes such as the register year.
    texts = {
        i.name: (format_number(i.value) if i.name in DERIVED else i.text) if i.usable else "–"
        for i in used
    }
    texts |= {name: format_number(v) for name, v in values.items() if name not in texts}
    finding.finding = _fill(rule.finding, texts)
    finding.recommendation = _fill(rule.recommendation, texts)
    return finding


def _missing_reason(used: list[Input]) -> str:
    states = {MISSING: _("mangler"), DONT_KNOW: _("vet ikke"), DISPUTED: _("ulike svar")}
    parts = [f"{i.label} ({states.get(i.state, i.state)})" for i in used if not i.usable]
    return _("Ikke vurdert – mangler svar: %(answers)s") % {"answers": "; ".join(parts)}


def _fill(template: str, texts: dict[str, str]) -> str:
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name:
            out.append(texts.get(name, "–"))
    return "".join(out)


def format_number(value: Any) -> str:
    """Norwegian number: no-break space between thousands, decimal comma, at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u00a0")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")
