"""The national recommendation rules (rules/nasjonale-anbefalinger.yaml) as GUIDELINES section 1
specifies them.

Every rule gets a case that fires (avvik), one that does not (i tråd), one where a missing
answer and one where «Vet ikke» decides the outcome (ikke vurdert) and, for rules with
`gjelder_nar`, one where the rule does not apply (ikke relevant). Then thresholds at their exact
boundaries, parameters, the GUIDELINES worked examples, and the rules-file validation.
Pure functions only: no database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from kartlegging.questionnaires.conditions import Node
from kartlegging.questionnaires.schema import parse_questionnaire
from kartlegging.recommendations.engine import (
    DEVIATION,
    DISPUTED,
    DONT_KNOW,
    IN_LINE,
    NOT_ASSESSED,
    NOT_RELEVANT,
    OK,
    Input,
    evaluate,
    format_number,
)
from kartlegging.recommendations.rules import RulesError, load_rules, parse_rules

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRE = ROOT / "questionnaires" / "palliasjon-kommune.yaml"
HOSPITAL_QUESTIONNAIRE = ROOT / "questionnaires" / "palliasjon-helseforetak.yaml"
DERIVED_NAMES = {"innbyggere", "nedslagsfelt"}

RULES = load_rules()
RULE_IDS = [rule.id for rule in RULES.rules]
NBSP = "\u00a0"


class _WrittenOut(yaml.SafeDumper):
    """Dumps shared objects in full: rule files are written by people, without aliases."""

    def ignore_aliases(self, data):
        return True


def plain_yaml(data, **options) -> str:
    return yaml.dump(data, Dumper=_WrittenOut, **options)


def answer(name, value):
    """One answer as the service hands it to the engine.

    None is a missing answer, "vet_ikke" is «Vet ikke»; numbers get the service's text.
    """
    if value == "vet_ikke":
        return Input(name, name, None, "Vet ikke", ("Leder",), DONT_KNOW)
    if value is None:
        return Input(name, name)
    if isinstance(value, list):
        text = ", ".join(value)
    elif isinstance(value, (int, float)):
        text = format_number(value)  # as the service writes innbyggere and number answers
    else:
        text = str(value)
    return Input(name, name, value, text, ("Leder",), OK)


def run(rule_id, parameters=None, **answers):
    inputs = {name: answer(name, value) for name, value in answers.items()}
    return evaluate(RULES.rule(rule_id), "3909", "Larvik", inputs, parameters)


def case(rule_id, expected, note, **answers):
    return pytest.param(rule_id, answers, expected, id=f"{rule_id} {note} -> {expected}")


# fmt: off
CASES = [
    # --- ORG-01 Kreft- og palliasjonskoordinator
    case("ORG-01", DEVIATION, "ingen koordinator", koord_finnes="nei"),
    case("ORG-01", IN_LINE, "koordinator", koord_finnes="ja"),
    case("ORG-01", NOT_ASSESSED, "ubesvart", koord_finnes=None),
    case("ORG-01", NOT_ASSESSED, "vet ikke", koord_finnes="vet_ikke"),
    # --- ORG-02 Stillingsressurs til koordinator (max(20, 20 per 10 000 innbyggere))
    case("ORG-02", DEVIATION, "40 % i Larvik", koord_finnes="ja", koord_stilling_pct=40,
         innbyggere=48715),
    case("ORG-02", IN_LINE, "100 % i Larvik", koord_finnes="ja", koord_stilling_pct=100,
         innbyggere=48715),
    case("ORG-02", NOT_ASSESSED, "stilling ubesvart", koord_finnes="ja",
         koord_stilling_pct=None, innbyggere=48715),
    case("ORG-02", NOT_ASSESSED, "innbyggere ukjent", koord_finnes="ja",
         koord_stilling_pct=40, innbyggere=None),
    case("ORG-02", NOT_ASSESSED, "vet ikke om koordinator", koord_finnes="vet_ikke",
         koord_stilling_pct=40, innbyggere=48715),
    case("ORG-02", NOT_RELEVANT, "ingen koordinator", koord_finnes="nei",
         koord_stilling_pct=None, innbyggere=48715),
    # --- ORG-03 Kommunalt palliativt team (nedslagsfelt >= 50 000)
    case("ORG-03", DEVIATION, "stort nedslagsfelt uten team", team_finnes="nei",
         nedslagsfelt=75587),
    case("ORG-03", IN_LINE, "stort nedslagsfelt med team", team_finnes="ja",
         nedslagsfelt=75587),
    case("ORG-03", IN_LINE, "team under etablering", team_finnes="under_etablering",
         nedslagsfelt=75587),
    case("ORG-03", NOT_ASSESSED, "team ubesvart", team_finnes=None, nedslagsfelt=75587),
    case("ORG-03", NOT_ASSESSED, "nedslagsfelt ukjent", team_finnes="nei", nedslagsfelt=None),
    case("ORG-03", NOT_ASSESSED, "vet ikke om team", team_finnes="vet_ikke",
         nedslagsfelt=75587),
    case("ORG-03", NOT_RELEVANT, "lite nedslagsfelt", team_finnes="nei", nedslagsfelt=48715),
    # --- ORG-04 Palliativt ressursteam (nedslagsfelt < 50 000)
    case("ORG-04", DEVIATION, "lite nedslagsfelt uten team", team_finnes="nei",
         nedslagsfelt=48715),
    case("ORG-04", IN_LINE, "lite nedslagsfelt med team", team_finnes="ja", nedslagsfelt=48715),
    case("ORG-04", IN_LINE, "team under etablering", team_finnes="under_etablering",
         nedslagsfelt=48715),
    case("ORG-04", NOT_ASSESSED, "team ubesvart", team_finnes=None, nedslagsfelt=48715),
    case("ORG-04", NOT_ASSESSED, "nedslagsfelt ukjent", team_finnes="nei", nedslagsfelt=None),
    case("ORG-04", NOT_ASSESSED, "vet ikke om team", team_finnes="vet_ikke",
         nedslagsfelt=48715),
    case("ORG-04", NOT_RELEVANT, "stort nedslagsfelt", team_finnes="nei", nedslagsfelt=75587),
    # --- ORG-05 Fast bemanning og finansiering av teamet
    case("ORG-05", DEVIATION, "ingen fast lege", team_finnes="ja", team_lege="nei",
         team_sykepleier="ja", team_finansiering="fast_drift"),
    case("ORG-05", DEVIATION, "ingen fast sykepleier", team_finnes="ja", team_lege="ja",
         team_sykepleier="nei", team_finansiering="fast_drift"),
    case("ORG-05", DEVIATION, "prosjektmidler", team_finnes="ja", team_lege="ja",
         team_sykepleier="ja", team_finansiering="prosjekt"),
    case("ORG-05", DEVIATION, "ingen fast lege, resten ubesvart", team_finnes="ja",
         team_lege="nei", team_sykepleier=None, team_finansiering=None),
    case("ORG-05", IN_LINE, "fast bemannet, fast drift", team_finnes="ja", team_lege="ja",
         team_sykepleier="ja", team_finansiering="fast_drift"),
    case("ORG-05", IN_LINE, "blandet finansiering", team_finnes="ja", team_lege="ja",
         team_sykepleier="ja", team_finansiering="blandet"),
    case("ORG-05", NOT_ASSESSED, "finansiering ubesvart", team_finnes="ja", team_lege="ja",
         team_sykepleier="ja", team_finansiering=None),
    case("ORG-05", NOT_ASSESSED, "vet ikke om sykepleier", team_finnes="ja", team_lege="ja",
         team_sykepleier="vet_ikke", team_finansiering="fast_drift"),
    case("ORG-05", NOT_ASSESSED, "vet ikke om team", team_finnes="vet_ikke", team_lege="nei",
         team_sykepleier="ja", team_finansiering="fast_drift"),
    case("ORG-05", NOT_RELEVANT, "ingen team", team_finnes="nei"),
    case("ORG-05", NOT_RELEVANT, "team under etablering", team_finnes="under_etablering",
         team_lege="nei"),
    # --- ORG-06 Palliativ enhet, øremerkede senger eller interkommunal enhet (>= 15 000)
    case("ORG-06", DEVIATION, "stor kommune uten noe av det", enhet_finnes="nei",
         oremerkede_senger=0, interkommunal_palliasjon="nei", innbyggere=26872),
    case("ORG-06", DEVIATION, "samarbeider om annet enn senger", enhet_finnes="nei",
         oremerkede_senger=0, interkommunal_palliasjon="ja",
         interkommunal_omrader=["legevakt"], innbyggere=26872),
    case("ORG-06", IN_LINE, "stor kommune med enhet", enhet_finnes="ja", innbyggere=26872),
    case("ORG-06", IN_LINE, "øremerkede senger", enhet_finnes="nei", oremerkede_senger=2,
         interkommunal_palliasjon="nei", innbyggere=26872),
    case("ORG-06", IN_LINE, "interkommunal enhet", enhet_finnes="nei", oremerkede_senger=0,
         interkommunal_palliasjon="ja", interkommunal_omrader=["senger", "legevakt"],
         innbyggere=26872),
    case("ORG-06", NOT_ASSESSED, "enhet ubesvart", enhet_finnes=None, oremerkede_senger=0,
         interkommunal_palliasjon="nei", innbyggere=26872),
    case("ORG-06", NOT_ASSESSED, "senger ubesvart", enhet_finnes="nei",
         oremerkede_senger=None, interkommunal_palliasjon="nei", innbyggere=26872),
    case("ORG-06", NOT_ASSESSED, "innbyggere ukjent", enhet_finnes="nei", oremerkede_senger=0,
         interkommunal_palliasjon="nei", innbyggere=None),
    case("ORG-06", NOT_ASSESSED, "vet ikke om enhet", enhet_finnes="vet_ikke",
         oremerkede_senger=0, interkommunal_palliasjon="nei", innbyggere=26872),
    case("ORG-06", NOT_ASSESSED, "vet ikke om interkommunalt samarbeid", enhet_finnes="nei",
         oremerkede_senger=0, interkommunal_palliasjon="vet_ikke", innbyggere=26872),
    case("ORG-06", NOT_RELEVANT, "liten kommune", enhet_finnes="nei", oremerkede_senger=0,
         innbyggere=8000),
    # --- ORG-07 Øremerkede lindrende senger (innbyggere < 15 000)
    case("ORG-07", DEVIATION, "verken enhet eller senger", enhet_finnes="nei",
         oremerkede_senger=0, innbyggere=8000),
    case("ORG-07", IN_LINE, "øremerkede senger", enhet_finnes="nei", oremerkede_senger=2,
         innbyggere=8000),
    case("ORG-07", IN_LINE, "enhet, senger ubesvart", enhet_finnes="ja",
         oremerkede_senger=None, innbyggere=8000),
    case("ORG-07", NOT_ASSESSED, "senger ubesvart", enhet_finnes="nei",
         oremerkede_senger=None, innbyggere=8000),
    case("ORG-07", NOT_ASSESSED, "vet ikke om enhet", enhet_finnes="vet_ikke",
         oremerkede_senger=0, innbyggere=8000),
    case("ORG-07", NOT_RELEVANT, "stor kommune", enhet_finnes="nei", oremerkede_senger=0,
         innbyggere=26872),
    # --- ORG-08 Lindrende plasser skjermet for målgruppen (only where there are such beds)
    case("ORG-08", DEVIATION, "enhet brukes ofte til annet", enhet_finnes="ja",
         enhet_senger=6, oremerkede_senger=0, senger_annen_bruk="ofte"),
    case("ORG-08", DEVIATION, "øremerkede senger brukes ofte til annet", enhet_finnes="nei",
         enhet_senger=0, oremerkede_senger=2, senger_annen_bruk="ofte"),
    case("ORG-08", IN_LINE, "sjelden annen bruk", enhet_finnes="ja", enhet_senger=6,
         oremerkede_senger=0, senger_annen_bruk="sjelden"),
    case("ORG-08", IN_LINE, "aldri annen bruk", enhet_finnes="nei", enhet_senger=0,
         oremerkede_senger=2, senger_annen_bruk="aldri"),
    case("ORG-08", NOT_ASSESSED, "bruk ubesvart", enhet_finnes="ja", enhet_senger=6,
         oremerkede_senger=0, senger_annen_bruk=None),
    case("ORG-08", NOT_ASSESSED, "vet ikke om bruk", enhet_finnes="ja", enhet_senger=6,
         oremerkede_senger=0, senger_annen_bruk="vet_ikke"),
    case("ORG-08", NOT_RELEVANT, "ingen lindrende plasser", enhet_finnes="nei",
         enhet_senger=0, oremerkede_senger=0, senger_annen_bruk="ofte"),
    # --- ORG-09 Sykepleierbemanning i palliativ enhet
    case("ORG-09", DEVIATION, "ikke sykepleier alle vakter", enhet_finnes="ja",
         enhet_sykepleier_alle_vakter="nei", enhet_pleiefaktor_dag=0.6),
    case("ORG-09", DEVIATION, "lav pleiefaktor", enhet_finnes="ja",
         enhet_sykepleier_alle_vakter="ja", enhet_pleiefaktor_dag=0.3),
    case("ORG-09", DEVIATION, "ikke sykepleier alle vakter, pleiefaktor ubesvart",
         enhet_finnes="ja", enhet_sykepleier_alle_vakter="nei", enhet_pleiefaktor_dag=None),
    case("ORG-09", IN_LINE, "godt bemannet", enhet_finnes="ja",
         enhet_sykepleier_alle_vakter="ja", enhet_pleiefaktor_dag=1.0),
    case("ORG-09", NOT_ASSESSED, "pleiefaktor ubesvart", enhet_finnes="ja",
         enhet_sykepleier_alle_vakter="ja", enhet_pleiefaktor_dag=None),
    case("ORG-09", NOT_ASSESSED, "vet ikke om sykepleier", enhet_finnes="ja",
         enhet_sykepleier_alle_vakter="vet_ikke", enhet_pleiefaktor_dag=0.6),
    case("ORG-09", NOT_RELEVANT, "ingen enhet", enhet_finnes="nei"),
    # --- ORG-10 Legeressurs og legekompetanse i palliativ enhet
    case("ORG-10", DEVIATION, "lite legetid", enhet_finnes="ja",
         enhet_legetimer_per_pasient_uke=1, enhet_lege_nivab="ja"),
    case("ORG-10", DEVIATION, "lege uten nivå B", enhet_finnes="ja",
         enhet_legetimer_per_pasient_uke=3, enhet_lege_nivab="nei"),
    case("ORG-10", IN_LINE, "nok legetid og nivå B", enhet_finnes="ja",
         enhet_legetimer_per_pasient_uke=3, enhet_lege_nivab="ja"),
    case("ORG-10", NOT_ASSESSED, "legetid ubesvart", enhet_finnes="ja",
         enhet_legetimer_per_pasient_uke=None, enhet_lege_nivab="ja"),
    case("ORG-10", NOT_ASSESSED, "vet ikke om nivå B", enhet_finnes="ja",
         enhet_legetimer_per_pasient_uke=3, enhet_lege_nivab="vet_ikke"),
    case("ORG-10", NOT_RELEVANT, "ingen enhet", enhet_finnes="nei"),
    # --- ORG-11 Kommunalt palliativt senter (nedslagsfelt >= 50 000)
    case("ORG-11", DEVIATION, "stort nedslagsfelt uten senter", palliativt_senter="nei",
         nedslagsfelt=75587),
    case("ORG-11", IN_LINE, "stort nedslagsfelt med senter", palliativt_senter="ja",
         nedslagsfelt=75587),
    case("ORG-11", NOT_ASSESSED, "senter ubesvart", palliativt_senter=None,
         nedslagsfelt=75587),
    case("ORG-11", NOT_ASSESSED, "vet ikke om senter", palliativt_senter="vet_ikke",
         nedslagsfelt=75587),
    case("ORG-11", NOT_RELEVANT, "lite nedslagsfelt", palliativt_senter="nei",
         nedslagsfelt=48715),
    # --- ORG-12 Legevakt og legetilgang hele døgnet
    case("ORG-12", DEVIATION, "ingen rutine mot legevakt", legevakt_info_rutine="nei",
         lege_dognet_palliativ="ja"),
    case("ORG-12", DEVIATION, "ingen lege hele døgnet", legevakt_info_rutine="ja",
         lege_dognet_palliativ="nei"),
    case("ORG-12", DEVIATION, "ingen rutine, legetilgang ubesvart",
         legevakt_info_rutine="nei", lege_dognet_palliativ=None),
    case("ORG-12", IN_LINE, "rutine og legetilgang", legevakt_info_rutine="ja",
         lege_dognet_palliativ="ja"),
    case("ORG-12", IN_LINE, "delvis rutine", legevakt_info_rutine="delvis",
         lege_dognet_palliativ="ja"),
    case("ORG-12", NOT_ASSESSED, "legetilgang ubesvart", legevakt_info_rutine="ja",
         lege_dognet_palliativ=None),
    case("ORG-12", NOT_ASSESSED, "vet ikke om rutine", legevakt_info_rutine="vet_ikke",
         lege_dognet_palliativ="ja"),
    # --- ORG-13 Samarbeid med fastlegene
    case("ORG-13", DEVIATION, "noen hjemmebesøk", fastlege_hjemmebesok="noen",
         fastlege_faste_moter="ja"),
    case("ORG-13", DEVIATION, "ingen hjemmebesøk", fastlege_hjemmebesok="ingen",
         fastlege_faste_moter="ja"),
    case("ORG-13", DEVIATION, "ingen faste møter", fastlege_hjemmebesok="alle",
         fastlege_faste_moter="nei"),
    case("ORG-13", IN_LINE, "de fleste og faste møter", fastlege_hjemmebesok="de_fleste",
         fastlege_faste_moter="ja"),
    case("ORG-13", NOT_ASSESSED, "møter ubesvart", fastlege_hjemmebesok="alle",
         fastlege_faste_moter=None),
    case("ORG-13", NOT_ASSESSED, "vet ikke om hjemmebesøk", fastlege_hjemmebesok="vet_ikke",
         fastlege_faste_moter="ja"),
    # --- ORG-14 Samarbeidsavtale og møtepunkter med helseforetaket
    case("ORG-14", DEVIATION, "ikke i avtalen", hf_avtale_palliasjon="nei",
         hf_team_motepunkt="ja"),
    case("ORG-14", DEVIATION, "bare kreft i avtalen", hf_avtale_palliasjon="ja_kun_kreft",
         hf_team_motepunkt="ja"),
    case("ORG-14", DEVIATION, "ingen møtepunkter", hf_avtale_palliasjon="ja_alle",
         hf_team_motepunkt="nei"),
    case("ORG-14", IN_LINE, "alle diagnoser og møtepunkter", hf_avtale_palliasjon="ja_alle",
         hf_team_motepunkt="ja"),
    case("ORG-14", NOT_ASSESSED, "møtepunkt ubesvart", hf_avtale_palliasjon="ja_alle",
         hf_team_motepunkt=None),
    case("ORG-14", NOT_ASSESSED, "vet ikke om avtalen", hf_avtale_palliasjon="vet_ikke",
         hf_team_motepunkt="ja"),
    # --- HEL-01 Tilbud uavhengig av diagnose
    case("HEL-01", DEVIATION, "kun kreft", tilbud_diagnose="kun_kreft", koord_finnes="ja",
         koord_malgruppe="alle_diagnoser"),
    case("HEL-01", DEVIATION, "hovedsakelig kreft", tilbud_diagnose="hovedsakelig_kreft",
         koord_finnes="ja", koord_malgruppe="alle_diagnoser"),
    case("HEL-01", DEVIATION, "koordinator bare for kreft", tilbud_diagnose="alle_diagnoser",
         koord_finnes="ja", koord_malgruppe="kun_kreft"),
    case("HEL-01", IN_LINE, "alle diagnoser", tilbud_diagnose="alle_diagnoser",
         koord_finnes="ja", koord_malgruppe="alle_diagnoser"),
    # no coordinator: the target-group question is hidden and does not matter
    case("HEL-01", IN_LINE, "uten koordinator", tilbud_diagnose="alle_diagnoser",
         koord_finnes="nei", koord_malgruppe=None),
    case("HEL-01", NOT_ASSESSED, "målgruppe ubesvart", tilbud_diagnose="alle_diagnoser",
         koord_finnes="ja", koord_malgruppe=None),
    case("HEL-01", NOT_ASSESSED, "vet ikke om tilbudet", tilbud_diagnose="vet_ikke",
         koord_finnes="ja", koord_malgruppe="alle_diagnoser"),
    # --- HEL-02 Identifisering (multiple choice)
    case("HEL-02", DEVIATION, "ingen verktøy", ident_verktoy=["ingen"]),
    case("HEL-02", IN_LINE, "SPICT", ident_verktoy=["spict"]),
    case("HEL-02", IN_LINE, "to verktøy", ident_verktoy=["spict", "overraskelsessporsmalet"]),
    case("HEL-02", NOT_ASSESSED, "ubesvart", ident_verktoy=None),
    case("HEL-02", NOT_ASSESSED, "vet ikke", ident_verktoy="vet_ikke"),
    # --- HEL-03 ESAS-r
    case("HEL-03", DEVIATION, "nei", esas_bruk="nei"),
    case("HEL-03", DEVIATION, "delvis", esas_bruk="delvis"),
    case("HEL-03", IN_LINE, "systematisk", esas_bruk="ja_systematisk"),
    case("HEL-03", NOT_ASSESSED, "ubesvart", esas_bruk=None),
    case("HEL-03", NOT_ASSESSED, "vet ikke", esas_bruk="vet_ikke"),
    # --- HEL-04 Livets siste dager
    case("HEL-04", DEVIATION, "delvis hjemme", lsd_hjemme="delvis", lsd_sykehjem="ja",
         lsd_statistikk="ja"),
    case("HEL-04", DEVIATION, "ikke i sykehjem", lsd_hjemme="ja", lsd_sykehjem="nei",
         lsd_statistikk="ja"),
    case("HEL-04", DEVIATION, "ikke registrert", lsd_hjemme="ja", lsd_sykehjem="ja",
         lsd_statistikk="nei"),
    case("HEL-04", IN_LINE, "i bruk og registrert", lsd_hjemme="ja", lsd_sykehjem="ja",
         lsd_statistikk="ja"),
    case("HEL-04", NOT_ASSESSED, "statistikk ubesvart", lsd_hjemme="ja", lsd_sykehjem="ja",
         lsd_statistikk=None),
    case("HEL-04", NOT_ASSESSED, "vet ikke om sykehjem", lsd_hjemme="ja",
         lsd_sykehjem="vet_ikke", lsd_statistikk="ja"),
    # --- HEL-05 Palliativ plan
    case("HEL-05", DEVIATION, "ingen plan", palliativ_plan="nei", plan_folger_pasient="ja"),
    case("HEL-05", DEVIATION, "bare prosjekt", palliativ_plan="prosjekt",
         plan_folger_pasient="ja"),
    case("HEL-05", DEVIATION, "følger ikke pasienten", palliativ_plan="ja_systematisk",
         plan_folger_pasient="nei"),
    case("HEL-05", IN_LINE, "systematisk og følger pasienten", palliativ_plan="ja_systematisk",
         plan_folger_pasient="ja"),
    case("HEL-05", IN_LINE, "delvis og følger pasienten", palliativ_plan="delvis",
         plan_folger_pasient="ja"),
    case("HEL-05", NOT_ASSESSED, "følger ubesvart", palliativ_plan="ja_systematisk",
         plan_folger_pasient=None),
    case("HEL-05", NOT_ASSESSED, "vet ikke om plan", palliativ_plan="vet_ikke",
         plan_folger_pasient="ja"),
    # --- HEL-06 Smertepumpe og behovsmedisiner
    case("HEL-06", DEVIATION, "ingen smertepumpe", smertepumpe_tilgang="nei",
         behovsmedisin_rutine="ja"),
    case("HEL-06", DEVIATION, "ingen rutine", smertepumpe_tilgang="ja",
         behovsmedisin_rutine="nei"),
    case("HEL-06", IN_LINE, "begge deler", smertepumpe_tilgang="ja", behovsmedisin_rutine="ja"),
    case("HEL-06", NOT_ASSESSED, "rutine ubesvart", smertepumpe_tilgang="ja",
         behovsmedisin_rutine=None),
    case("HEL-06", NOT_ASSESSED, "vet ikke om pumpe", smertepumpe_tilgang="vet_ikke",
         behovsmedisin_rutine="ja"),
    # --- MED-01 Forhåndssamtaler
    case("MED-01", DEVIATION, "delvis", forhandssamtaler="delvis", forhandssamtaler_system="ja"),
    case("MED-01", DEVIATION, "nei", forhandssamtaler="nei", forhandssamtaler_system="ja"),
    case("MED-01", DEVIATION, "uten system", forhandssamtaler="ja_systematisk",
         forhandssamtaler_system="nei"),
    case("MED-01", IN_LINE, "systematisk med system", forhandssamtaler="ja_systematisk",
         forhandssamtaler_system="ja"),
    case("MED-01", NOT_ASSESSED, "system ubesvart", forhandssamtaler="ja_systematisk",
         forhandssamtaler_system=None),
    case("MED-01", NOT_ASSESSED, "vet ikke om samtaler", forhandssamtaler="vet_ikke",
         forhandssamtaler_system="ja"),
    # --- MED-02 Opplæring i forhåndssamtaler
    case("MED-02", DEVIATION, "ingen opplæring", forhandssamtaler_opplaering="nei"),
    case("MED-02", DEVIATION, "uten øvelse", forhandssamtaler_opplaering="uten_ovelse"),
    case("MED-02", IN_LINE, "med øvelse", forhandssamtaler_opplaering="med_ovelse"),
    case("MED-02", NOT_ASSESSED, "ubesvart", forhandssamtaler_opplaering=None),
    case("MED-02", NOT_ASSESSED, "vet ikke", forhandssamtaler_opplaering="vet_ikke"),
    # --- MED-03 Hjemmedød
    case("MED-03", DEVIATION, "ingen rutine", hjemmedod_rutine="nei",
         hjemmedod_registrering="ja"),
    case("MED-03", DEVIATION, "ingen registrering", hjemmedod_rutine="ja",
         hjemmedod_registrering="nei"),
    case("MED-03", IN_LINE, "rutine og registrering", hjemmedod_rutine="ja",
         hjemmedod_registrering="ja"),
    case("MED-03", NOT_ASSESSED, "registrering ubesvart", hjemmedod_rutine="ja",
         hjemmedod_registrering=None),
    case("MED-03", NOT_ASSESSED, "vet ikke om rutine", hjemmedod_rutine="vet_ikke",
         hjemmedod_registrering="ja"),
    # --- APN-01 Informasjon om tilbudet
    case("APN-01", DEVIATION, "ikke på nettsiden", info_nettside="nei"),
    case("APN-01", IN_LINE, "på nettsiden", info_nettside="ja"),
    case("APN-01", NOT_ASSESSED, "ubesvart", info_nettside=None),
    case("APN-01", NOT_ASSESSED, "vet ikke", info_nettside="vet_ikke"),
    # --- APN-02 Etisk refleksjon og åpenhet (GUIDELINES: `aldri` = `nei`)
    case("APN-02", DEVIATION, "sjelden refleksjon", etisk_refleksjon="sjelden",
         apenhet_tiltak="ja"),
    case("APN-02", DEVIATION, "aldri refleksjon", etisk_refleksjon="aldri",
         apenhet_tiltak="ja"),
    case("APN-02", DEVIATION, "ingen åpenhetstiltak", etisk_refleksjon="ukentlig",
         apenhet_tiltak="nei"),
    case("APN-02", IN_LINE, "månedlig og tiltak", etisk_refleksjon="manedlig",
         apenhet_tiltak="ja"),
    case("APN-02", NOT_ASSESSED, "tiltak ubesvart", etisk_refleksjon="ukentlig",
         apenhet_tiltak=None),
    case("APN-02", NOT_ASSESSED, "vet ikke om refleksjon", etisk_refleksjon="vet_ikke",
         apenhet_tiltak="ja"),
    # --- BU-01 Barnekoordinator
    case("BU-01", DEVIATION, "ingen rutine", barnekoord_rutine="nei"),
    case("BU-01", IN_LINE, "rutine", barnekoord_rutine="ja"),
    case("BU-01", NOT_ASSESSED, "ubesvart", barnekoord_rutine=None),
    case("BU-01", NOT_ASSESSED, "vet ikke", barnekoord_rutine="vet_ikke"),
    # --- BU-02 Barnepalliasjon (any of the four is nei)
    case("BU-02", DEVIATION, "ingen oversikt", barn_oversikt="nei",
         barnepall_samarbeid_hf="ja", barnepall_ressursperson="ja", barn_avlastning="ja"),
    case("BU-02", DEVIATION, "ingen avlastning, resten ubesvart", barn_oversikt=None,
         barnepall_samarbeid_hf=None, barnepall_ressursperson=None, barn_avlastning="nei"),
    case("BU-02", IN_LINE, "alt på plass", barn_oversikt="ja", barnepall_samarbeid_hf="ja",
         barnepall_ressursperson="ja", barn_avlastning="ja"),
    case("BU-02", NOT_ASSESSED, "ressursperson ubesvart", barn_oversikt="ja",
         barnepall_samarbeid_hf="ja", barnepall_ressursperson=None, barn_avlastning="ja"),
    case("BU-02", NOT_ASSESSED, "vet ikke om samarbeid", barn_oversikt="ja",
         barnepall_samarbeid_hf="vet_ikke", barnepall_ressursperson="ja", barn_avlastning="ja"),
    # --- BU-03 Barn som pårørende
    case("BU-03", DEVIATION, "ingen rutine", barn_parorende_rutine="nei"),
    case("BU-03", IN_LINE, "rutine", barn_parorende_rutine="ja"),
    case("BU-03", NOT_ASSESSED, "ubesvart", barn_parorende_rutine=None),
    case("BU-03", NOT_ASSESSED, "vet ikke", barn_parorende_rutine="vet_ikke"),
    # --- FAM-01 CSNAT
    case("FAM-01", DEVIATION, "nei", csnat="nei"),
    case("FAM-01", DEVIATION, "delvis", csnat="delvis"),
    case("FAM-01", IN_LINE, "systematisk", csnat="ja_systematisk"),
    case("FAM-01", NOT_ASSESSED, "ubesvart", csnat=None),
    case("FAM-01", NOT_ASSESSED, "vet ikke", csnat="vet_ikke"),
    # --- FAM-02 Pårørendestøtte ved særlig tyngende omsorgsarbeid (hol § 3-6). Flexible respite
    # is respite; without it, the follow-up question asks about other respite.
    case("FAM-02", DEVIATION, "ingen avlastning", parorendestotte_avlastning="nei",
         avlastning_tyngende_omsorg="nei", parorendestotte_opplaering="ja"),
    case("FAM-02", DEVIATION, "ingen opplæring", parorendestotte_avlastning="ja",
         avlastning_tyngende_omsorg=None, parorendestotte_opplaering="nei"),
    case("FAM-02", IN_LINE, "fleksibel avlastning og opplæring", parorendestotte_avlastning="ja",
         avlastning_tyngende_omsorg=None, parorendestotte_opplaering="ja"),
    # no flexible respite is no breach of the law when there is other respite (FAM-05's case)
    case("FAM-02", IN_LINE, "annen avlastning, ikke fleksibel", parorendestotte_avlastning="nei",
         avlastning_tyngende_omsorg="ja", parorendestotte_opplaering="ja"),
    case("FAM-02", NOT_ASSESSED, "opplæring ubesvart", parorendestotte_avlastning="ja",
         parorendestotte_opplaering=None),
    case("FAM-02", NOT_ASSESSED, "annen avlastning ubesvart", parorendestotte_avlastning="nei",
         avlastning_tyngende_omsorg=None, parorendestotte_opplaering="ja"),
    case("FAM-02", NOT_ASSESSED, "vet ikke om annen avlastning",
         parorendestotte_avlastning="vet_ikke", avlastning_tyngende_omsorg="vet_ikke",
         parorendestotte_opplaering="ja"),
    # --- FAM-03 Samtale med etterlatte
    case("FAM-03", DEVIATION, "ingen samtale", etterlattesamtale="nei"),
    case("FAM-03", IN_LINE, "samtale", etterlattesamtale="ja"),
    case("FAM-03", NOT_ASSESSED, "ubesvart", etterlattesamtale=None),
    case("FAM-03", NOT_ASSESSED, "vet ikke", etterlattesamtale="vet_ikke"),
    # --- FAM-04 Frivillige (koordinering only matters when there is a cooperation)
    case("FAM-04", DEVIATION, "ingen samarbeid, koordinering ubesvart",
         frivillige_samarbeid="nei", frivillige_koordinering=None),
    case("FAM-04", DEVIATION, "samarbeid uten koordinering", frivillige_samarbeid="ja",
         frivillige_koordinering="nei"),
    case("FAM-04", IN_LINE, "samarbeid med koordinering", frivillige_samarbeid="ja",
         frivillige_koordinering="ja"),
    case("FAM-04", NOT_ASSESSED, "koordinering ubesvart", frivillige_samarbeid="ja",
         frivillige_koordinering=None),
    case("FAM-04", NOT_ASSESSED, "vet ikke om samarbeid", frivillige_samarbeid="vet_ikke",
         frivillige_koordinering="nei"),
    # --- FAM-05 Fleksibel avlastning (anbefales)
    case("FAM-05", DEVIATION, "ingen fleksibel avlastning", parorendestotte_avlastning="nei"),
    case("FAM-05", IN_LINE, "fleksibel avlastning", parorendestotte_avlastning="ja"),
    case("FAM-05", NOT_ASSESSED, "ubesvart", parorendestotte_avlastning=None),
    case("FAM-05", NOT_ASSESSED, "vet ikke", parorendestotte_avlastning="vet_ikke"),
    # --- KOM-01 Ressurssykepleiere (GUIDELINES: `noen` = `delvis`, `ingen` = `nei`)
    case("KOM-01", DEVIATION, "noen soner", ressurssykepleier_dekning="noen",
         ressurssykepleier_nettverk="ja", ressurssykepleier_tid_pct=10),
    case("KOM-01", DEVIATION, "ingen, resten ubesvart", ressurssykepleier_dekning="ingen",
         ressurssykepleier_nettverk=None, ressurssykepleier_tid_pct=None),
    case("KOM-01", DEVIATION, "ikke i nettverk", ressurssykepleier_dekning="alle",
         ressurssykepleier_nettverk="nei", ressurssykepleier_tid_pct=10),
    case("KOM-01", DEVIATION, "ingen avsatt tid", ressurssykepleier_dekning="alle",
         ressurssykepleier_nettverk="ja", ressurssykepleier_tid_pct=0),
    case("KOM-01", IN_LINE, "alle, nettverk og tid", ressurssykepleier_dekning="alle",
         ressurssykepleier_nettverk="ja", ressurssykepleier_tid_pct=10),
    case("KOM-01", NOT_ASSESSED, "tid ubesvart", ressurssykepleier_dekning="alle",
         ressurssykepleier_nettverk="ja", ressurssykepleier_tid_pct=None),
    case("KOM-01", NOT_ASSESSED, "vet ikke om nettverk", ressurssykepleier_dekning="alle",
         ressurssykepleier_nettverk="vet_ikke", ressurssykepleier_tid_pct=10),
    # --- KOM-02 Palliasjon i kompetanseplanen
    case("KOM-02", DEVIATION, "ikke i planen", kompetanseplan_palliasjon="nei",
         grunnopplaering_alle="ja"),
    case("KOM-02", DEVIATION, "ikke opplæring for alle", kompetanseplan_palliasjon="ja",
         grunnopplaering_alle="nei"),
    case("KOM-02", IN_LINE, "plan og opplæring", kompetanseplan_palliasjon="ja",
         grunnopplaering_alle="ja"),
    case("KOM-02", NOT_ASSESSED, "opplæring ubesvart", kompetanseplan_palliasjon="ja",
         grunnopplaering_alle=None),
    case("KOM-02", NOT_ASSESSED, "vet ikke om planen", kompetanseplan_palliasjon="vet_ikke",
         grunnopplaering_alle="ja"),
    # --- KOM-03 Opplæring av leger
    case("KOM-03", DEVIATION, "ingen opplæring", fastlege_opplaering="nei"),
    case("KOM-03", IN_LINE, "opplæring", fastlege_opplaering="ja"),
    case("KOM-03", NOT_ASSESSED, "ubesvart", fastlege_opplaering=None),
    case("KOM-03", NOT_ASSESSED, "vet ikke", fastlege_opplaering="vet_ikke"),
    # --- HF-01 Helseforetaket: samarbeidsavtale og møtepunkter med kommunene
    case("HF-01", DEVIATION, "bare kreft i avtalen", samarbeid_avtale="ja_kun_kreft",
         samarbeid_faste_moter="ja"),
    case("HF-01", DEVIATION, "ingen faste møter", samarbeid_avtale="ja_alle",
         samarbeid_faste_moter="nei"),
    case("HF-01", IN_LINE, "alle diagnoser og møter", samarbeid_avtale="ja_alle",
         samarbeid_faste_moter="ja"),
    case("HF-01", NOT_ASSESSED, "møter ubesvart", samarbeid_avtale="ja_alle",
         samarbeid_faste_moter=None),
    case("HF-01", NOT_ASSESSED, "vet ikke om avtalen", samarbeid_avtale="vet_ikke",
         samarbeid_faste_moter="ja"),
    # --- HF-02 Palliativ plan ved utskrivning
    case("HF-02", DEVIATION, "nei", palliativ_plan_ved_utskrivning="nei"),
    case("HF-02", DEVIATION, "delvis", palliativ_plan_ved_utskrivning="delvis"),
    case("HF-02", IN_LINE, "systematisk", palliativ_plan_ved_utskrivning="ja_systematisk"),
    case("HF-02", NOT_ASSESSED, "ubesvart", palliativ_plan_ved_utskrivning=None),
    case("HF-02", NOT_ASSESSED, "vet ikke", palliativ_plan_ved_utskrivning="vet_ikke"),
    # --- HF-03 Råd ved hjemmebesøk eller tilsyn
    case("HF-03", DEVIATION, "ingen hjemmebesøk", team_hjemmebesok="nei"),
    case("HF-03", IN_LINE, "ved behov", team_hjemmebesok="ved_behov"),
    case("HF-03", NOT_ASSESSED, "ubesvart", team_hjemmebesok=None),
    case("HF-03", NOT_ASSESSED, "vet ikke", team_hjemmebesok="vet_ikke"),
]
# fmt: on


@pytest.mark.parametrize(("rule_id", "answers", "expected"), CASES)
def test_rule_gives_the_status_guidelines_specify(rule_id, answers, expected):
    found = run(rule_id, **answers)
    assert found.status == expected, found.reason
    if expected == DEVIATION:
        assert found.finding, "avvik carries the filled finding text"
        assert "{" not in found.finding and "{" not in found.recommendation
        assert found.reason == ""
        assert found.status_text == found.finding
    elif expected == IN_LINE:
        # the deviation's words would be untrue here
        assert found.finding == "" and found.recommendation == "" and found.reason == ""
        assert found.status_text == f"I tråd med anbefalingen: {found.rule.title}."
    elif expected == NOT_ASSESSED:
        assert found.reason.startswith("Ikke vurdert – mangler svar: ")
        assert found.finding == ""
        for name, value in answers.items():
            if value is None:
                assert f"{name} (mangler)" in found.reason
            elif value == "vet_ikke":
                assert f"{name} (vet ikke)" in found.reason
    else:
        assert found.finding == "" and found.reason == ""


def test_every_rule_has_cases_for_each_outcome():
    """Adding a rule without cases (or removing one that still has cases) fails here."""
    covered = defaultdict(set)
    for param in CASES:
        rule_id, answers, expected = param.values
        covered[rule_id].add(expected)
        if expected == NOT_ASSESSED:
            values = list(answers.values())
            if None in values:
                covered[rule_id].add("mangler")
            if "vet_ikke" in values:
                covered[rule_id].add("vet_ikke")
    assert sorted(covered) == sorted(RULE_IDS)
    gaps = {}
    for rule in RULES.rules:
        needed = {DEVIATION, IN_LINE, NOT_ASSESSED, "mangler", "vet_ikke"}
        if rule.applies_when is not None:
            needed.add(NOT_RELEVANT)
        problems = sorted(needed - covered[rule.id])
        if rule.applies_when is None and NOT_RELEVANT in covered[rule.id]:
            problems.append("ikke_relevant without gjelder_nar")
        if problems:
            gaps[rule.id] = problems
    assert gaps == {}


def test_rules_that_only_apply_sometimes_are_the_ones_guidelines_conditions_on_context():
    with_scope = {rule.id for rule in RULES.rules if rule.applies_when is not None}
    assert with_scope == {f"ORG-{n:02d}" for n in range(2, 12)}


# --- three-valued logic ------------------------------------------------------------------------


def test_a_no_fires_an_or_rule_even_when_the_other_answer_is_missing():
    found = run("ORG-12", legevakt_info_rutine="nei")  # lege_dognet_palliativ not given
    assert found.status == DEVIATION
    assert found.finding.startswith("Det finnes ingen fast rutine for at legevakten")


def test_a_missing_answer_that_could_change_an_or_rule_leaves_it_not_assessed():
    found = run("ORG-12", legevakt_info_rutine="ja")
    assert found.status == NOT_ASSESSED
    assert found.reason == "Ikke vurdert – mangler svar: lege_dognet_palliativ (mangler)"


def test_a_false_part_settles_an_and_rule_despite_a_missing_answer():
    found = run("ORG-07", enhet_finnes="ja", innbyggere=8000)  # oremerkede_senger not given
    assert found.status == IN_LINE


def test_false_scope_wins_over_missing_answers():
    assert run("ORG-02", koord_finnes="nei").status == NOT_RELEVANT
    assert run("ORG-09", enhet_finnes="nei").status == NOT_RELEVANT


def test_unknown_scope_is_not_assessed_even_when_the_condition_would_fire():
    found = run("ORG-03", team_finnes="nei", nedslagsfelt="vet_ikke")
    assert found.status == NOT_ASSESSED
    assert "nedslagsfelt (vet ikke)" in found.reason


def test_disputed_answer_is_not_assessed_and_named_as_such():
    inputs = {"koord_finnes": Input("koord_finnes", "Koordinator?", None, "Ja / Nei", (), DISPUTED)}
    found = evaluate(RULES.rule("ORG-01"), "3909", "Larvik", inputs)
    assert found.status == NOT_ASSESSED
    assert found.reason == "Ikke vurdert – mangler svar: Koordinator? (ulike svar)"


def test_rule_whose_questions_the_questionnaire_lacks_is_not_assessed_with_the_reason():
    rule = RULES.rule("ORG-01")
    found = evaluate(rule, "3909", "Larvik", {}, available={"innbyggere"})
    assert found.status == NOT_ASSESSED
    assert found.absent == ("koord_finnes",)
    assert found.reason.startswith("Ikke vurdert – spørreskjemaet organisasjonen har svart på")


def test_a_question_the_questionnaire_lacks_is_named_by_its_text_not_its_key():
    labels = {"koord_finnes": "Har kommunen kreftkoordinator og/eller palliasjonskoordinator?"}
    found = evaluate(
        RULES.rule("ORG-01"), "3909", "Larvik", {}, available={"innbyggere"}, labels=labels
    )
    assert found.reason == (
        "Ikke vurdert – spørreskjemaet organisasjonen har svart på, spør ikke om: "
        "«Har kommunen kreftkoordinator og/eller palliasjonskoordinator?»"
    )
    assert "koord_finnes" not in found.status_text


# --- thresholds at their boundaries ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "answers", "expected"),
    [
        pytest.param(
            "ORG-03",
            {"team_finnes": "nei", "nedslagsfelt": 50000},
            DEVIATION,
            id="ORG-03 at 50 000 applies",
        ),
        pytest.param(
            "ORG-03",
            {"team_finnes": "nei", "nedslagsfelt": 49999},
            NOT_RELEVANT,
            id="ORG-03 at 49 999 does not apply",
        ),
        pytest.param(
            "ORG-11",
            {"palliativt_senter": "nei", "nedslagsfelt": 50000},
            DEVIATION,
            id="ORG-11 at 50 000 applies",
        ),
        pytest.param(
            "ORG-11",
            {"palliativt_senter": "nei", "nedslagsfelt": 49999},
            NOT_RELEVANT,
            id="ORG-11 at 49 999 does not apply",
        ),
        pytest.param(
            "ORG-04",
            {"team_finnes": "nei", "nedslagsfelt": 50000},
            NOT_RELEVANT,
            id="ORG-04 at 50 000 does not apply",
        ),
        pytest.param(
            "ORG-04",
            {"team_finnes": "nei", "nedslagsfelt": 49999},
            DEVIATION,
            id="ORG-04 at 49 999 applies",
        ),
        pytest.param(
            "ORG-06",
            {
                "enhet_finnes": "nei",
                "oremerkede_senger": 0,
                "interkommunal_palliasjon": "nei",
                "innbyggere": 15000,
            },
            DEVIATION,
            id="ORG-06 at 15 000 applies",
        ),
        pytest.param(
            "ORG-06",
            {"enhet_finnes": "nei", "innbyggere": 14999},
            NOT_RELEVANT,
            id="ORG-06 at 14 999 does not apply",
        ),
        pytest.param(
            "ORG-07",
            {"enhet_finnes": "nei", "oremerkede_senger": 0, "innbyggere": 15000},
            NOT_RELEVANT,
            id="ORG-07 at 15 000 does not apply",
        ),
        pytest.param(
            "ORG-07",
            {"enhet_finnes": "nei", "oremerkede_senger": 0, "innbyggere": 14999},
            DEVIATION,
            id="ORG-07 at 14 999 applies",
        ),
    ],
)
def test_population_thresholds_are_inclusive_at_the_limit(rule_id, answers, expected):
    assert run(rule_id, **answers).status == expected


@pytest.mark.parametrize("nedslagsfelt", [0, 1, 15000, 49999, 50000, 50001, 800000])
def test_exactly_one_of_the_two_team_rules_applies_for_any_catchment(nedslagsfelt):
    statuses = {
        rule_id: run(rule_id, team_finnes="nei", nedslagsfelt=nedslagsfelt).status
        for rule_id in ("ORG-03", "ORG-04")
    }
    assert sorted(statuses.values()) == [DEVIATION, NOT_RELEVANT]


@pytest.mark.parametrize(
    ("innbyggere", "stilling", "expected"),
    [
        (8000, 20, IN_LINE),  # limit max(20, 16) = 20
        (8000, 19, DEVIATION),
        (20000, 40, IN_LINE),  # limit max(20, 40) = 40
        (20000, 39, DEVIATION),
    ],
)
def test_coordinator_position_at_the_limit_is_in_line(innbyggere, stilling, expected):
    found = run("ORG-02", koord_finnes="ja", koord_stilling_pct=stilling, innbyggere=innbyggere)
    assert found.status == expected


@pytest.mark.parametrize(
    ("pleiefaktor", "expected"), [(0.5, IN_LINE), (0.49, DEVIATION), (0.51, IN_LINE)]
)
def test_nursing_ratio_of_exactly_one_to_two_is_in_line(pleiefaktor, expected):
    found = run(
        "ORG-09",
        enhet_finnes="ja",
        enhet_sykepleier_alle_vakter="ja",
        enhet_pleiefaktor_dag=pleiefaktor,
    )
    assert found.status == expected


@pytest.mark.parametrize(("timer", "expected"), [(2, IN_LINE), (2.0, IN_LINE), (1.9, DEVIATION)])
def test_doctor_time_of_exactly_two_hours_is_in_line(timer, expected):
    found = run(
        "ORG-10", enhet_finnes="ja", enhet_legetimer_per_pasient_uke=timer, enhet_lege_nivab="ja"
    )
    assert found.status == expected


# --- parameters ---------------------------------------------------------------------------------


def test_raising_the_minimum_coordinator_position_makes_25_percent_too_little():
    answers = {"koord_finnes": "ja", "koord_stilling_pct": 25, "innbyggere": 8000}
    assert run("ORG-02", **answers).status == IN_LINE
    assert run("ORG-02", {"minste_stilling": 30}, **answers).status == DEVIATION


def test_lowering_the_position_per_10000_can_bring_larvik_in_line():
    answers = {"koord_finnes": "ja", "koord_stilling_pct": 50, "innbyggere": 48715}
    assert run("ORG-02", **answers).status == DEVIATION  # limit ≈ 97
    assert run("ORG-02", {"stilling_per_10000": 10}, **answers).status == IN_LINE  # ≈ 49


def test_lowering_the_team_threshold_makes_larvik_need_a_municipal_team():
    answers = {"team_finnes": "nei", "nedslagsfelt": 48715}
    assert run("ORG-03", **answers).status == NOT_RELEVANT
    found = run("ORG-03", {"terskel_innbyggere": 45000}, **answers)
    assert found.status == DEVIATION
    assert f"nedslagsfeltet har 48{NBSP}715 innbyggere" in found.finding
    assert f"over anslagsvis 45{NBSP}000 innbyggere" in found.finding
    assert run("ORG-04", {"terskel_innbyggere": 45000}, **answers).status == NOT_RELEVANT


def test_parameters_the_rule_does_not_have_are_ignored():
    found = run("ORG-01", {"terskel_innbyggere": 1}, koord_finnes="nei")
    assert found.status == DEVIATION


def test_parameter_defaults_match_the_guidelines_thresholds():
    defaults = {(rule.id, p.name): p.default for rule in RULES.rules for p in rule.parameters}
    assert defaults == {
        ("ORG-02", "minste_stilling"): 20,
        ("ORG-02", "stilling_per_10000"): 20,
        ("ORG-03", "terskel_innbyggere"): 50000,
        ("ORG-04", "terskel_innbyggere"): 50000,
        ("ORG-06", "terskel_enhet"): 15000,
        ("ORG-07", "terskel_enhet"): 15000,
        ("ORG-09", "minste_pleiefaktor"): 0.5,
        ("ORG-10", "minste_legetimer"): 2,
        ("ORG-11", "terskel_innbyggere"): 50000,
    }


# --- GUIDELINES worked examples -----------------------------------------------------------------


def test_holmestrand_without_a_unit_needs_one_and_the_small_municipality_rule_does_not_apply():
    holmestrand = {
        "innbyggere": 26872,
        "enhet_finnes": "nei",
        "oremerkede_senger": 0,
        "interkommunal_palliasjon": "nei",
    }
    assert run("ORG-06", **holmestrand).status == DEVIATION
    assert run("ORG-07", **holmestrand).status == NOT_RELEVANT


def test_larvik_alone_is_just_under_the_threshold_so_only_the_consider_a_team_rule_fires():
    larvik = {
        "innbyggere": 48715,
        "nedslagsfelt": 48715,
        "team_finnes": "nei",
        "palliativt_senter": "nei",
    }
    assert run("ORG-03", **larvik).status == NOT_RELEVANT
    assert run("ORG-11", **larvik).status == NOT_RELEVANT
    found = run("ORG-04", **larvik)
    assert found.status == DEVIATION
    assert found.recommendation.startswith("Vurder et tverrfaglig palliativt ressursteam")


def test_larvik_with_an_intermunicipal_catchment_needs_a_team_and_a_centre():
    larvik = {
        "innbyggere": 48715,
        "nedslagsfelt": 75587,
        "team_finnes": "nei",
        "palliativt_senter": "nei",
    }
    team = run("ORG-03", **larvik)
    assert team.status == DEVIATION
    assert f"nedslagsfeltet har 75{NBSP}587 innbyggere" in team.finding
    assert f"over anslagsvis 50{NBSP}000 innbyggere" in team.finding
    assert run("ORG-11", **larvik).status == DEVIATION
    assert run("ORG-04", **larvik).status == NOT_RELEVANT


def test_larvik_coordinator_at_40_percent_is_too_little_with_the_numbers_in_the_text():
    inputs = {
        "koord_finnes": answer("koord_finnes", "ja"),
        # as the service gives it: the answer with the question's unit
        "koord_stilling_pct": Input(
            "koord_stilling_pct", "Stilling", 40, "40 % stilling", ("Leder",), OK
        ),  # fmt: skip
        "innbyggere": Input(
            "innbyggere",
            "Innbyggere",
            48715,
            "48\u00a0715 (per 1.1.2024)",
            ("kommuneregisteret",),
            OK,
        ),  # fmt: skip
    }
    found = evaluate(RULES.rule("ORG-02"), "3909", "Larvik", inputs)
    assert found.status == DEVIATION
    assert f"40 % stilling for 48{NBSP}715 innbyggere" in found.finding


def test_the_same_40_percent_in_a_municipality_of_8000_is_in_line():
    found = run("ORG-02", koord_finnes="ja", koord_stilling_pct=40, innbyggere=8000)
    assert found.status == IN_LINE


# --- the real rules file ------------------------------------------------------------------------


def test_the_rules_file_loads_with_the_guidelines_rules_in_order():
    """GUIDELINES' 35 rules, FAM-02 split in two (§5), and three rules for the hospital."""
    assert len(RULES.rules) == 39
    assert len(set(RULE_IDS)) == 39
    prefixes = [rule_id.split("-")[0] for rule_id in RULE_IDS]
    counts = {prefix: prefixes.count(prefix) for prefix in dict.fromkeys(prefixes)}
    assert counts == {
        "ORG": 14, "HEL": 6, "MED": 3, "APN": 2, "BU": 3, "FAM": 5, "KOM": 3, "HF": 3
    }  # fmt: skip
    for prefix in counts:
        numbers = [int(r.split("-")[1]) for r in RULE_IDS if r.startswith(prefix + "-")]
        assert numbers == list(range(1, counts[prefix] + 1))


def load_default_questionnaire(kind: str = "kommune"):
    path = QUESTIONNAIRE if kind == "kommune" else HOSPITAL_QUESTIONNAIRE
    return parse_questionnaire(path.read_text(encoding="utf-8"))


def questionnaire_for(rule):
    """The default questionnaire of the (one) organisation kind the rule is for."""
    assert len(rule.applies_to) == 1, rule.id
    return load_default_questionnaire(rule.applies_to[0])


def test_every_name_a_rule_reads_is_a_question_in_the_default_questionnaire_for_its_kind():
    unknown = {
        rule.id: [
            name
            for name in rule.reads
            if name not in DERIVED_NAMES and not questionnaire_for(rule).has_question(name)
        ]
        for rule in RULES.rules
    }
    assert {rule_id: names for rule_id, names in unknown.items() if names} == {}


def _compared_codes(node: Node):
    """(question, code) for every `name = 'code'`, `name != 'code'` and `name in [...]`."""
    if node.kind == "cmp":
        left, right = node.children
        if left.kind == "name" and right.kind == "str":
            yield left.value, right.value
    if node.kind == "in" and node.children[0].kind == "name":
        for code in node.value:
            yield node.children[0].value, code
    for child in node.children:
        yield from _compared_codes(child)


def test_every_code_a_rule_compares_with_is_an_option_of_that_question():
    wrong = []
    for rule in RULES.rules:
        questionnaire = questionnaire_for(rule)
        trees = [rule.condition.tree] + ([rule.applies_when.tree] if rule.applies_when else [])
        for tree in trees:
            for name, code in _compared_codes(tree):
                codes = {option.code for option in questionnaire.question(name).options}
                if code not in codes:
                    wrong.append(f"{rule.id}: {name} = '{code}'")
    assert wrong == []


# --- validation of the rules file ---------------------------------------------------------------

MINIMAL = """\
nokkel: test
tittel: Test
kilder:
  N1: {tittel: X}
regler:
  - id: ORG-01
    tema: organisering
    tittel: Koordinator
    leser: [koord_finnes]
    betingelse: "koord_finnes = 'nei'"
    funn: Kommunen har ingen koordinator.
    mal: Kommunen har en koordinator.
    anbefaling: Etabler en koordinator.
    kilder:
      - {kilde: N1}
    verifisering: verifisert
    alvorlighet: anbefales
"""


def rules_text(remove=(), **changes):
    """MINIMAL with the one rule's fields changed or removed."""
    data = yaml.safe_load(MINIMAL)
    rule = data["regler"][0]
    rule.update(changes)
    for name in remove:
        del rule[name]
    return plain_yaml(data, allow_unicode=True, sort_keys=False)


def run_rule(rules, **answers):
    inputs = {name: answer(name, value) for name, value in answers.items()}
    return evaluate(rules.rules[0], "3909", "Larvik", inputs)


def problems_of(text):
    with pytest.raises(RulesError) as raised:
        parse_rules(text)
    return raised.value.problems


def test_a_minimal_rules_file_is_valid():
    rules = parse_rules(MINIMAL)
    assert [rule.id for rule in rules.rules] == ["ORG-01"]
    assert run_rule(rules, koord_finnes="nei").status == DEVIATION


def test_unknown_name_in_a_condition_names_the_rule_and_field():
    text = rules_text(id="ORG-04", leser=["team_finnes"], betingelse="team = 'nei'")
    problems = problems_of(text)
    assert len(problems) == 1
    assert "(ORG-04).betingelse" in problems[0]
    assert "ukjent navn «team»" in problems[0]
    assert problems[0].startswith("regler[0] (ORG-04).betingelse: ukjent navn «team»")


def test_unknown_name_in_the_scope_condition_is_reported_too():
    problems = problems_of(rules_text(gjelder_nar="innbyggere >= 15000"))
    assert problems == [
        "regler[0] (ORG-01).gjelder_nar: ukjent navn «innbyggere» "
        "(står ikke i «leser» eller «parametre»)"
    ]


def test_unknown_source_names_the_citation():
    problems = problems_of(rules_text(kilder=[{"kilde": "X9"}]))
    assert problems == ["regler[0] (ORG-01).kilder[0].kilde: ukjent kilde «X9»"]


def test_unknown_field_is_refused():
    problems = problems_of(rules_text(anbefalinger="Gjør noe."))
    assert problems == [
        "regler[0] (ORG-01).anbefalinger: ukjent felt (gyldige: id, tema, gjelder_for, "
        "lokalt_forslag, tittel, leser, gjelder_nar, betingelse, funn, mal, anbefaling, kilder, "
        "verifisering, verifisering_merknad, alvorlighet, parametre)"
    ]


def test_invalid_verification_lists_the_allowed_values():
    problems = problems_of(rules_text(verifisering="sikker"))
    assert len(problems) == 1
    assert problems[0].startswith("regler[0] (ORG-01).verifisering: må være en av")
    assert "verifisert, delvis, kun_seed, forslag" in problems[0]


def test_invalid_severity_is_refused():
    problems = problems_of(rules_text(alvorlighet="kritisk"))
    assert len(problems) == 1 and "(ORG-01).alvorlighet" in problems[0]


def test_placeholder_not_in_leser_is_refused():
    problems = problems_of(rules_text(funn="Kommunen har {foo} koordinatorer."))
    assert problems == ["regler[0] (ORG-01).funn: ukjent plassholder {foo}"]
    problems = problems_of(rules_text(anbefaling="Ansett {bar}."))
    assert problems == ["regler[0] (ORG-01).anbefaling: ukjent plassholder {bar}"]


def test_placeholders_and_conditions_may_use_parameters_and_leser_names():
    text = rules_text(
        leser=["koord_finnes", "koord_stilling_pct"],
        betingelse="koord_finnes = 'ja' and koord_stilling_pct < grense",
        funn="Stillingen er {koord_stilling_pct} %, under {grense} %.",
        parametre={"grense": {"standard": 30, "tekst": "Grense"}},
    )
    rules = parse_rules(text)
    found = run_rule(rules, koord_finnes="ja", koord_stilling_pct=25)
    assert found.status == DEVIATION
    assert found.finding == "Stillingen er 25 %, under 30 %."


def test_parameter_default_must_be_a_number():
    problems = problems_of(rules_text(parametre={"grense": {"standard": "mye"}}))
    assert problems == ["regler[0] (ORG-01).parametre.grense.standard: må være et tall"]


def test_missing_required_field_is_named():
    problems = problems_of(rules_text(remove=["mal"]))
    assert problems == ["regler[0] (ORG-01).mal: mangler"]


@pytest.mark.parametrize(
    ("field", "condition", "message"),
    [
        ("betingelse", "__import__('os')", "ukjent funksjon «__import__»"),
        ("betingelse", "eval('1') = 1", "ukjent funksjon «eval»"),
        ("gjelder_nar", "open('/etc/passwd')", "ukjent funksjon «open»"),
        ("betingelse", "koord_finnes.__class__ = 'x'", "kan ikke lese"),
        ("betingelse", "koord_finnes == 'nei'", "uventet «=»"),
    ],
)
def test_unsafe_or_foreign_conditions_are_refused_not_run(field, condition, message):
    problems = problems_of(rules_text(**{field: condition}))
    assert len(problems) == 1
    assert problems[0].startswith(f"regler[0] (ORG-01).{field}: ")
    assert message in problems[0]


def test_duplicate_rule_ids_are_refused():
    data = yaml.safe_load(MINIMAL)
    data["regler"].append(dict(data["regler"][0]))
    problems = problems_of(plain_yaml(data, allow_unicode=True))
    assert problems == ["regler[1] (ORG-01).id: brukt før"]


def test_every_problem_in_the_file_is_reported_at_once_with_rule_and_field():
    data = yaml.safe_load(MINIMAL)
    second = dict(data["regler"][0], id="ORG-02", verifisering="sikker", betingelse="x = 'nei'")
    data["regler"][0]["kilder"] = [{"kilde": "X9"}]
    data["regler"].append(second)
    with pytest.raises(RulesError) as raised:
        parse_rules(plain_yaml(data, allow_unicode=True))
    problems = raised.value.problems
    assert len(problems) == 3
    assert all(re.match(r"regler\[\d\] \((ORG-0[12])\)\.[a-z_\[\]0-9.]+: ", p) for p in problems)
    assert {p.split(":")[0] for p in problems} == {
        "regler[0] (ORG-01).kilder[0].kilde",
        "regler[1] (ORG-02).betingelse",
        "regler[1] (ORG-02).verifisering",
    }
    assert str(raised.value) == "\n".join(problems)


def test_deeply_nested_rules_file_is_refused_with_a_message():
    from kartlegging.recommendations.rules import RulesError, parse_rules

    with pytest.raises(RulesError) as refused:
        parse_rules("kilder: " + "[" * 5000 + "]" * 5000)
    assert refused.value.problems == ["Regelfilen er nestet for dypt til å være en regelfil."]


def test_a_numeric_part_of_a_source_is_read_as_text():
    rules = parse_rules(rules_text(kilder=[{"kilde": "N1", "del": 5}]))
    assert rules.rules[0].citations[0].part == "5"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"kilder": [{"kilde": "N1", "side": 3}]},
            "regler[0] (ORG-01).kilder[0].side: ukjent felt",
        ),
        ({"kilder": ["N1"]}, "regler[0] (ORG-01).kilder[0]: må være en ordbok"),
        ({"kilder": [{"del": "x"}]}, "regler[0] (ORG-01).kilder[0].kilde: mangler"),
        ({"parametre": {"g": 5}}, "regler[0] (ORG-01).parametre.g: må være en ordbok"),
        ({"funn": 5}, "regler[0] (ORG-01).funn: må være tekst"),
        ({"betingelse": None}, "regler[0] (ORG-01).betingelse: må være tekst"),
        ({"funn": "Har {x"}, "regler[0] (ORG-01).funn: feil i plassholderne"),
        (
            {"betingelse": "(" * 5000 + "a" + ")" * 5000},
            "regler[0] (ORG-01).betingelse: uttrykket er nestet for dypt",
        ),
    ],
)
def test_structure_problems_name_the_place_in_norwegian(changes, expected):
    problems = problems_of(rules_text(**changes))
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    for english in ("Input should", "Field required", "Extra inputs", "expected"):
        assert english not in problems[0]


def test_unknown_top_level_field_and_source_without_title_are_refused():
    data = yaml.safe_load(MINIMAL)
    data["kilder"]["N2"] = {"url": "https://example.org"}
    data["forfatter"] = "X"
    problems = problems_of(plain_yaml(data, allow_unicode=True, sort_keys=False))
    assert problems == [
        "forfatter: ukjent felt (gyldige: nokkel, tittel, kilder, regler)",
        "kilder.N2.tittel: mangler",
    ]


# --- whom a rule is for -------------------------------------------------------------------------


def test_whom_a_rule_is_for_defaults_to_the_municipalities_and_is_validated():
    assert parse_rules(MINIMAL).rules[0].applies_to == ("kommune",)
    both = parse_rules(rules_text(gjelder_for=["kommune", "helseforetak"])).rules[0]
    assert both.applies_to_kind("helseforetak") and both.applies_to_kind("kommune")
    assert problems_of(rules_text(gjelder_for=["sykehus"])) == [
        "regler[0] (ORG-01).gjelder_for: må være en av kommune, helseforetak"
    ]
    assert problems_of(rules_text(gjelder_for=[])) == [
        "regler[0] (ORG-01).gjelder_for: må nevne minst én organisasjonstype "
        "(kommune, helseforetak)"
    ]
    assert problems_of(rules_text(gjelder_for="kommune")) == [
        "regler[0] (ORG-01).gjelder_for: må være en liste med organisasjonstyper "
        "(kommune, helseforetak)"
    ]


def test_every_rule_in_our_file_says_whom_it_is_for():
    raw = yaml.safe_load((ROOT / "rules" / "nasjonale-anbefalinger.yaml").read_text())
    assert [r["id"] for r in raw["regler"] if "gjelder_for" not in r] == []
    hospital = [rule.id for rule in RULES.rules if rule.applies_to_kind("helseforetak")]
    assert hospital == ["HF-01", "HF-02", "HF-03"]
    assert all(rule.applies_to == ("kommune",) for rule in RULES.rules if rule.id not in hospital)


# --- the second verification (GUIDELINES §5) ------------------------------------------------------


def test_org06_with_earmarked_beds_is_not_a_deviation():
    found = run("ORG-06", enhet_finnes="nei", oremerkede_senger=2, innbyggere=26872)
    assert found.status == IN_LINE


def test_org06_with_an_intermunicipal_unit_is_not_a_deviation():
    found = run(
        "ORG-06",
        enhet_finnes="nei",
        oremerkede_senger=0,
        interkommunal_palliasjon="ja",
        interkommunal_omrader=["senger"],
        innbyggere=59174,
    )
    assert found.status == IN_LINE


def test_org06_says_consider_and_names_the_alternatives():
    rule = RULES.rule("ORG-06")
    assert rule.severity == "bor_vurderes" and rule.verification == "delvis"
    assert rule.recommendation.startswith("Vurder ")
    assert "øremerkede lindrende senger" in rule.recommendation
    assert "neppe realistisk" in rule.recommendation


def test_the_nou_threshold_is_a_committee_proposal():
    for rule_id in ("ORG-03", "ORG-11"):
        rule = RULES.rule(rule_id)
        assert "NOU 2017:16 foreslår" in rule.finding, rule_id
        assert "anslagsvis" in rule.finding, rule_id
        assert rule.verification == "delvis"
    assert RULES.rule("ORG-03").severity == "bor_vurderes"


def test_org02_is_a_local_proposal_outside_the_national_set():
    rule = RULES.rule("ORG-02")
    assert rule.local and rule.verification == "forslag"
    assert rule.basis_label == "Lokalt forslag – ikke nasjonal norm"
    assert "ikke er en nasjonal norm" in rule.finding
    assert [r.id for r in RULES.rules if r.local] == ["ORG-02"]


def test_fam02_is_split_into_the_legal_core_and_a_recommendation_with_a_new_id():
    law, respite = RULES.rule("FAM-02"), RULES.rule("FAM-05")
    assert law.severity == "lovkrav" and respite.severity == "anbefales"
    assert "særlig tyngende omsorgsarbeid" in law.finding
    assert "§ 3-6" in law.recommendation
    assert "avlastning_tyngende_omsorg" in law.reads  # respite of any kind, not flexible
    assert respite.reads == ("parorendestotte_avlastning",)
    assert "fleksibel" in respite.finding and respite.recommendation.startswith("Vurder ")
    assert "L1" not in {c.source.id for c in respite.citations}  # no legal claim
    # A municipality with respite, but not a flexible one, breaks no law.
    answers = {
        "avlastning_tyngende_omsorg": "ja",
        "parorendestotte_opplaering": "ja",
        "parorendestotte_avlastning": "nei",
    }
    assert run("FAM-02", **answers).status == IN_LINE
    assert run("FAM-05", **answers).status == DEVIATION


def test_verification_statuses_follow_the_second_verification():
    statuses = {rule_id: RULES.rule(rule_id).verification for rule_id in (
        "BU-03", "ORG-08", "ORG-06", "MED-02", "APN-02", "ORG-03", "ORG-11", "ORG-09", "ORG-10"
    )}  # fmt: skip
    assert statuses == {
        "BU-03": "verifisert",
        "ORG-08": "delvis",
        "ORG-06": "delvis",
        "MED-02": "delvis",
        "APN-02": "delvis",
        "ORG-03": "delvis",
        "ORG-11": "delvis",
        "ORG-09": "delvis",
        "ORG-10": "delvis",
    }


def parts(rule_id: str) -> list[str]:
    return [str(c) for c in RULES.rule(rule_id).citations]


def test_citations_say_what_the_primary_texts_say():
    assert any("Vedlegg 1.14" in p for p in parts("FAM-04"))
    assert not any(p.endswith(", 1.10") for p in parts("FAM-04"))
    assert any("§ 10 a" in p and "§ 10 b" in p for p in parts("BU-03"))
    assert any("høringsutkast" in p for p in parts("BU-02"))
    assert "høringsutkastet" in RULES.rule("BU-02").recommendation
    for rule_id in ("ORG-09", "ORG-10"):
        assert any("vedlegg 1.8 (ikke oppdatert 2019)" in p for p in parts(rule_id)), rule_id
    assert "pleiere til stede per pasient på dagvakt" in RULES.rule("ORG-09").finding
    assert "ikke årsverk per seng" in RULES.rule("ORG-09").finding
    org01 = RULES.rule("ORG-01")
    assert "Kreftforeningen" in org01.recommendation and "ikke en lovpålagt" in org01.recommendation
    bu01 = RULES.rule("BU-01").recommendation
    assert "helse- og omsorgstjenester og andre velferdstjenester" in bu01
    assert "ligger på kommunen" in bu01


def test_recommended_tools_are_called_recommended_never_required():
    for rule_id in ("HEL-02", "HEL-03", "HEL-04", "FAM-01"):
        rule = RULES.rule(rule_id)
        assert "anbefalt verktøy" in rule.recommendation, rule_id
        for text in (rule.finding, rule.goal, rule.recommendation):
            assert "krav" not in text.lower(), rule_id


def test_advice_never_turns_into_skal():
    """Helsedirektoratet's faglige råd and the other recommendations say «bør»; only a rule
    resting on a law (lovkrav) may say what the municipality shall do."""
    offenders = [
        f"{rule.id}: {text}"
        for rule in RULES.rules
        if rule.severity != "lovkrav"
        for text in (rule.finding, rule.goal, rule.recommendation)
        if re.search(r"\bskal\b", text, re.IGNORECASE)
    ]
    assert offenders == []


INTERNAL = re.compile(
    r"\b(S[0-4]|N[1-9]H?|L[1-4]|T[1-5]|K1|LK)\b|seed|sitert i S|kopien|vårt forslag|verifiser",
    re.IGNORECASE,
)


def test_what_readers_see_of_a_rule_names_no_internal_ids_or_working_notes():
    """Titles, texts and citation parts are for readers; only `verifisering_merknad` (for the
    project leader's page) may name seed aliases and source ids."""
    found = []
    for rule in RULES.rules:
        texts = [rule.title, rule.finding, rule.goal, rule.recommendation, rule.sources_text]
        found += [f"{rule.id}: {t}" for t in texts if INTERNAL.search(t)]
    assert found == []


def test_the_regional_opportunity_calls_the_catchment_threshold_a_proposal():
    from kartlegging.recommendations.regional import Place, opportunities

    def place(number, name, population):
        inputs = {
            "innbyggere": answer("innbyggere", population),
            "team_finnes": answer("team_finnes", "nei"),
        }
        return Place(number, name, "Vestfold", inputs)

    found = opportunities([place("3903", "Holmestrand", 26872), place("3909", "Larvik", 48715)])
    (team,) = [o for o in found if o.kind == "terskel"]
    assert "NOU 2017:16 foreslår kommunale palliative sentre" in team.text
    assert f"anslagsvis 50{NBSP}000 innbyggere" in team.text
    assert "nasjonale føringer anbefaler" not in team.text
