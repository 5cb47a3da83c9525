"""What changed between two questionnaires, in words: for the version comparison page and
the «Ta i bruk» confirmation. Questions and sections are matched by key."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kartlegging.questionnaires.conditions import condition_text
from kartlegging.questionnaires.schema import TYPE_LABELS, Question, Questionnaire, Section


@dataclass(frozen=True)
class Changed:
    key: str
    title: str  # the new text or title
    what: tuple[str, ...]
    # The type changed or codes are gone: answers and rules read the question differently.
    breaking: bool = False


@dataclass
class Changes:
    head: list[str] = field(default_factory=list)
    sections_added: list[Section] = field(default_factory=list)
    sections_removed: list[Section] = field(default_factory=list)
    sections_changed: list[Changed] = field(default_factory=list)
    added: list[Question] = field(default_factory=list)
    removed: list[Question] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    @property
    def removed_keys(self) -> set[str]:
        """Questions gone, and questions whose codes or type changed: what answers and rules
        of the older version read differently."""
        return {q.key for q in self.removed} | {c.key for c in self.changed if c.breaking}

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.head,
                self.sections_added,
                self.sections_removed,
                self.sections_changed,
                self.added,
                self.removed,
                self.changed,
            )
        )


def compare(old: Questionnaire, new: Questionnaire) -> Changes:
    changes = Changes()
    for label, before, after in (
        (_("Nøkkel"), old.key, new.key),
        (_("Tittel"), old.title, new.title),
        (_("Introduksjon"), old.description, new.description),
        (_("Målgruppe"), old.audience, new.audience),
    ):
        if before != after:
            changes.head.append(_("%(what)s er endret") % {"what": label})
    old_sections = {s.key: s for s in old.sections}
    new_sections = {s.key: s for s in new.sections}
    changes.sections_added = [s for s in new.sections if s.key not in old_sections]
    changes.sections_removed = [s for s in old.sections if s.key not in new_sections]
    for section in new.sections:
        if (before := old_sections.get(section.key)) is not None:
            what = _section_changes(before, section)
            if what:
                changes.sections_changed.append(Changed(section.key, section.title, what))
    old_questions = {q.key: q for q in old.questions}
    new_questions = {q.key: q for q in new.questions}
    changes.added = [q for q in new.questions if q.key not in old_questions]
    changes.removed = [q for q in old.questions if q.key not in new_questions]
    for question in new.questions:
        if (before := old_questions.get(question.key)) is not None:
            what = _question_changes(before, question, new_sections)
            if what:
                breaking = before.type != question.type or bool(
                    {o.code for o in before.options} - {o.code for o in question.options}
                )
                changes.changed.append(Changed(question.key, question.text, what, breaking))
    return changes


def _section_changes(old: Section, new: Section) -> tuple[str, ...]:
    what = []
    if old.title != new.title:
        what.append(_("Tittel: «%(old)s» → «%(new)s»") % {"old": old.title, "new": new.title})
    if old.theme != new.theme:
        what.append(_("Tema: %(old)s → %(new)s") % {"old": old.theme_label, "new": new.theme_label})
    if old.intro != new.intro:
        what.append(_("Innledningen er endret"))
    if old.condition != new.condition:
        what.append(_("Betingelse: %(c)s") % {"c": _condition(new)})
    return tuple(what)


def _question_changes(
    old: Question, new: Question, sections: dict[str, Section]
) -> tuple[str, ...]:
    what = []
    if old.text != new.text:
        what.append(_("Teksten er endret (før: «%(old)s»)") % {"old": old.text})
    if old.type != new.type:
        what.append(
            _("Svartype: %(old)s → %(new)s")
            % {
                "old": TYPE_LABELS.get(old.type, old.type),
                "new": TYPE_LABELS.get(new.type, new.type),
            }
        )
    old_codes = [o.code for o in old.options]
    new_codes = [o.code for o in new.options]
    gone = [c for c in old_codes if c not in new_codes]
    if gone:
        what.append(_("Koder fjernet: %(codes)s") % {"codes": ", ".join(gone)})
    added = [c for c in new_codes if c not in old_codes]
    if added:
        what.append(_("Koder lagt til: %(codes)s") % {"codes": ", ".join(added)})
    old_texts = {o.code: o.text for o in old.options}
    if any(o.code in old_texts and old_texts[o.code] != o.text for o in new.options):
        what.append(_("Tekst på svaralternativer er endret"))
    if old.help != new.help:
        what.append(_("Hjelpeteksten er endret"))
    if old.required != new.required:
        what.append(_("Må besvares") if new.required else _("Må ikke lenger besvares"))
    if old.scope != new.scope:
        what.append(_("Gjelder nå: %(scope)s") % {"scope": new.scope})
    if (old.unit, old.min, old.max) != (new.unit, new.min, new.max):
        what.append(_("Enhet eller grenser er endret"))
    if old.condition != new.condition:
        what.append(_("Betingelse: %(c)s") % {"c": _condition(new)})
    if old.section != new.section:
        section = sections.get(new.section)
        what.append(
            _("Flyttet til seksjonen «%(s)s»") % {"s": section.title if section else new.section}
        )
    return tuple(what)


def _condition(item: Question | Section) -> str:
    return (
        condition_text(item.condition) if item.condition is not None else _("ingen (vises alltid)")
    )
