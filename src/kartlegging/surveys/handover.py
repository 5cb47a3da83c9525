"""Handing an invitation on to a colleague without breaking the organisation's tracking.

A hand-on makes Kartlegging send an invitation to an address the respondent types,
so without limits a respondent link is an open e-mail relay. Three limits:

- at most `HAND_ON_LIMIT` hand-ons per chain: the respondent the project leader
  invited and every colleague down the line share one allowance, so a link cannot
  start a fresh allowance by handing on to itself under another address;
- only to a work address: the survey's allowed e-mail domains, or (when the
  leader set none) the domains of the survey's respondents;
- names, role and note are short plain text without links or web addresses.

`Respondent.handed_to` holds only a giver's latest hand-on, so the record of every
hand-on is the append-only audit trail (`respondent.handed_on`, ids only); the
count and the leader's list on the dashboard both read it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartlegging.core.models import AuditEntry, audit
from kartlegging.surveys import tasks
from kartlegging.surveys.models import Email, Respondent, Survey

HAND_ON_LIMIT = 3
NOTE_MAX_LENGTH = 500
HANDED_ON = "respondent.handed_on"
UNDONE = "respondent.handover_undone"

# Public webmail is never a work address: such a domain is left out of the default
# list even when a respondent was entered with one (the leader may still list it).
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.no",
        "outlook.com",
        "live.com",
        "live.no",
        "msn.com",
        "yahoo.com",
        "yahoo.no",
        "icloud.com",
        "me.com",
        "online.no",
        "proton.me",
        "protonmail.com",
    }
)

_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9-]{{1,59}})$")
# Top-level domains that mail programs turn into links even without http:// or a path.
# Kept to real TLDs so Norwegian abbreviations (f.eks., bl.a., avd.leder/…) pass.
_TLDS = (
    "no|se|dk|fi|is|eu|uk|de|nl|fr|es|it|pl|ch|be|ru|cn|us|ca|au|in|"
    "com|net|org|info|biz|io|co|me|ly|to|tv|cc|ws|ai|gd|gl|app|dev|xyz|top|site|online|"
    "link|click|shop|store|club|live|life|world|email|tech|cloud|pro|name|mobi|example"
)
_LINK = re.compile(
    rf"""
      [a-z][a-z0-9+.-]*://                           # any scheme: http://, https://, ftp://
    | \b(?:mailto|javascript):                       # schemes without //
    | \bwww\d{{0,3}}\.                               # www.evil.example
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                   # an e-mail address (mail programs link it)
    | \b[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b           # a bare domain: evil.example/…, vg.no
    | \b(?:[\w-]+\.){{2,}}[^\W\d_]{{2,63}}(?::\d+)?/    # any a.b.tld/ with a path
    | \b(?:[\w-]+\.)+[^\W\d_][\w-]*:\d{{2,5}}\b        # a host with a port: evil.shop:8080
    | \b\d{{1,3}}(?:\.\d{{1,3}}){{3}}\b                 # an IP address
    """,
    re.IGNORECASE | re.VERBOSE,
)


class HandOnRefused(Exception):
    """A hand-on that must not happen; `message` says why, in Norwegian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- plain text


def has_link(text: str) -> bool:
    """Whether the text holds a link, web or e-mail address a mail program would link.

    Folded first (NFKC, invisible format characters dropped) so full-width dots and
    slashes or zero-width spaces do not hide an address.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return bool(_LINK.search(folded))


def link_refusal() -> str:
    return _(
        "Skriv vanlig tekst uten lenker, nettadresser eller e-postadresser "
        "(som https://…, www.… eller eksempel.no/…)."
    )


# --------------------------------------------------------------------------- domains


def parse_domains(text: str) -> list[str]:
    """The domains in a comma, semicolon, space or line separated list: lower case, no '@'."""
    domains: list[str] = []
    for part in re.split(r"[\s,;]+", text.lower()):
        domain = part.strip().lstrip("@").rstrip(".")
        if domain and domain not in domains:
            domains.append(domain)
    return domains


def is_domain(value: str) -> bool:
    return len(value) <= 253 and bool(_DOMAIN.match(value))


def _domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def allowed_domains(survey: Survey) -> list[str]:
    """The survey's list, or by default the work domains of its respondents."""
    configured = parse_domains(survey.handover_domains)
    if configured:
        return configured
    emails = survey.respondents.filter(removed_at__isnull=True).values_list("email", flat=True)
    return sorted({_domain_of(e) for e in emails if "@" in e} - PUBLIC_MAIL_DOMAINS)


def domain_allowed(email: str, domains: list[str]) -> bool:
    # A subdomain counts: the organisation that owns a domain owns its subdomains.
    domain = _domain_of(email)
    return any(domain == d or domain.endswith("." + d) for d in domains)


def domain_refusal(respondent: Respondent, domains: list[str]) -> str:
    """The message naming the allowed domains, the respondent's own first."""
    if not domains:
        return _(
            "Oppgaven kan ikke gis videre på e-post i denne kartleggingen. "
            "Ta kontakt med prosjektlederen."
        )
    own = _domain_of(respondent.email)
    ordered = sorted(domains, key=lambda d: (not domain_allowed(own, [d]), d))
    shown = [f"@{d}" for d in ordered[:8]]
    if len(ordered) > 8:
        listed = _("%(first)s eller ett av %(n)s andre domener") % {
            "first": ", ".join(shown),
            "n": len(ordered) - 8,
        }
    elif len(shown) == 1:
        listed = shown[0]
    else:
        listed = _("%(first)s eller %(last)s") % {
            "first": ", ".join(shown[:-1]),
            "last": shown[-1],
        }
    return _("Oppgaven kan bare gis videre til en jobbadresse som slutter på %(domains)s.") % {
        "domains": listed
    }


# --------------------------------------------------------------------------- the ledger


def _entries(survey_id: int, action: str) -> list[tuple[int, int, dt.datetime]]:
    """(giver id, colleague id, when) of every entry of the action, oldest first."""
    rows = (
        AuditEntry.objects.filter(survey_pk=survey_id, action=action)
        .order_by("at", "pk")
        .values_list("data", "at")
    )
    return [
        (data["respondent"], data["colleague"], at)
        for data, at in rows
        if isinstance(data, dict) and "respondent" in data and "colleague" in data
    ]


def _chain_start(pk: int, giver_of: dict[int, int]) -> int:
    # A colleague's giver is fixed when the colleague is created, so this never changes.
    seen = set()
    while pk in giver_of and pk not in seen:
        seen.add(pk)
        pk = giver_of[pk]
    return pk


def hand_ons_in_chain(respondent: Respondent) -> int:
    """Hand-ons made from this respondent's chain (undone ones count: their e-mail went)."""
    ledger = _entries(respondent.survey_id, HANDED_ON)
    giver_of = {colleague: giver for giver, colleague, _at in ledger}
    mine = _chain_start(respondent.pk, giver_of)
    return sum(_chain_start(giver, giver_of) == mine for giver, _colleague, _at in ledger)


def hand_ons_left(respondent: Respondent) -> int:
    return max(HAND_ON_LIMIT - hand_ons_in_chain(respondent), 0)


def limit_refusal(survey: Survey) -> str:
    message = _(
        "Oppgaven er allerede gitt videre %(limit)s ganger fra denne invitasjonen, og det er "
        "det meste som er mulig."
    ) % {"limit": HAND_ON_LIMIT}
    if survey.contact_email:
        return (
            message
            + " "
            + _("Skriv til prosjektlederen på %(email)s hvis noen andre bør svare.")
            % {"email": survey.contact_email}
        )
    return message + " " + _("Ta kontakt med prosjektlederen hvis noen andre bør svare.")


# --------------------------------------------------------------------------- hand on


def check(respondent: Respondent, *, name: str, email: str, role: str, message: str) -> None:
    """Refuse what the form also refuses, so no other caller can open the relay."""
    if any(has_link(text) for text in (name, role, message)):
        raise HandOnRefused(link_refusal())
    if len(message.strip()) > NOTE_MAX_LENGTH:
        raise HandOnRefused(_("Beskjeden kan være høyst %(n)s tegn.") % {"n": NOTE_MAX_LENGTH})
    domains = allowed_domains(respondent.survey)
    if not domain_allowed(email, domains):
        raise HandOnRefused(domain_refusal(respondent, domains))


def hand_on(
    respondent: Respondent, *, name: str, email: str, role: str = "", message: str = ""
) -> Respondent:
    """Create the colleague in the same organisation, invite them, and mark the hand-over.

    The original respondent keeps their link (and any answers) but is no longer
    reminded; the dashboard shows who handed on to whom. Raises HandOnRefused when
    the chain has used its allowance or the address or text is not allowed.
    """
    check(respondent, name=name, email=email, role=role, message=message)
    with transaction.atomic():
        # Parallel posts from one chain are counted one after the other: lock the chain's
        # first respondent (PostgreSQL; SQLite's IMMEDIATE transactions already serialise).
        giver_of = {c: g for g, c, _at in _entries(respondent.survey_id, HANDED_ON)}
        first = _chain_start(respondent.pk, giver_of)
        list(Respondent.objects.select_for_update().filter(pk=first))
        if hand_ons_left(respondent) <= 0:
            raise HandOnRefused(limit_refusal(respondent.survey))
        colleague = Respondent.objects.create(
            survey=respondent.survey,
            organisation=respondent.organisation,
            name=name.strip(),
            email=email.strip().lower(),
            role=role.strip(),
        )
        respondent.handed_to = colleague
        respondent.handed_at = timezone.now()
        respondent.handover_message = message.strip()
        respondent.save(update_fields=["handed_to", "handed_at", "handover_message"])
        audit(HANDED_ON, survey=respondent.survey, respondent=respondent.pk, colleague=colleague.pk)
        tasks.queue([colleague], Email.Kind.INVITATION)
    return colleague


# --------------------------------------------------------------------------- the leader's view


@dataclass(frozen=True)
class Handover:
    giver: Respondent
    colleague: Respondent
    at: dt.datetime
    undone: bool

    @property
    def current(self) -> bool:
        """The giver still stands handed on to this colleague (and is not reminded)."""
        return self.giver.handed_to_id == self.colleague.pk

    @property
    def can_undo(self) -> bool:
        return self.colleague.removed_at is None or self.current

    @property
    def status_label(self) -> str:
        if self.undone and not self.can_undo:
            return _("Angret")
        if self.colleague.removed_at:
            return _("Kollegaen er fjernet")
        return _("Aktiv")


def handovers(survey: Survey) -> list[Handover]:
    """Every hand-on in the survey, newest first (two queries whatever the number)."""
    ledger = _entries(survey.pk, HANDED_ON)
    undone = {colleague for _giver, colleague, _at in _entries(survey.pk, UNDONE)}
    ids = {pk for giver, colleague, _at in ledger for pk in (giver, colleague)}
    people = {r.pk: r for r in survey.respondents.filter(pk__in=ids).select_related("organisation")}
    return [
        Handover(people[giver], people[colleague], at, colleague in undone)
        for giver, colleague, at in reversed(ledger)
        if giver in people and colleague in people
    ]


def handover_to(survey: Survey, colleague_pk: int) -> Handover | None:
    """The hand-on that created this colleague, scoped to the survey; None if there is none."""
    for handover in handovers(survey):
        if handover.colleague.pk == colleague_pk:
            return handover
    return None


def undo(handover: Handover, actor) -> bool:
    """Remove the colleague (answers kept, like «Fjern») and make the giver active again.

    True when the giver became active; False when they have since handed on to someone
    else, whose hand-on stands.
    """
    with transaction.atomic():
        colleague = Respondent.objects.select_for_update().get(pk=handover.colleague.pk)
        giver = Respondent.objects.select_for_update().get(pk=handover.giver.pk)
        if colleague.removed_at is None:
            colleague.removed_at = timezone.now()
            colleague.save(update_fields=["removed_at"])
        reactivated = giver.handed_to_id == colleague.pk
        if reactivated:
            # Active again: invited as before, so the usual reminders reach them.
            giver.handed_to = None
            giver.handed_at = None
            giver.handover_message = ""
            giver.save(update_fields=["handed_to", "handed_at", "handover_message"])
        audit(UNDONE, actor, giver.survey, respondent=giver.pk, colleague=colleague.pk)
    return reactivated
