"""A whole season on the production stack: gunicorn, the worker, SMTP, Chromium.

The leader logs in with a real TOTP code, creates a survey for two municipalities, imports
respondents and sends invitations; a respondent follows the e-mailed link on a phone and
submits; the receipt arrives; the leader orders the PDF report, the worker is killed with
SIGKILL while it builds, and after a restart the report completes and downloads.
"""

from __future__ import annotations

import base64
import io
import json
import re

from django_otp.oath import totp
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.system.conftest import ORGANISATIONS, PASSWORD, ROOT, wait_until

LINK = re.compile(r"http://127\.0\.0\.1:\d+/s/[A-Za-z0-9_-]+/")
PHONE = {"width": 390, "height": 844}
RESPONDENTS = (
    "navn,epost,rolle,organisasjon\n"
    "Kari Nordmann,kari@horten.example,Kreftkoordinator,3901\n"
    "Ola Hansen,ola@larvik.example,Ressurssykepleier,3909\n"
)


def prepare(site, tmp_path) -> None:
    """What the operations guide has an IT person do before the season."""
    registry = tmp_path / "organisasjoner.csv"
    registry.write_text(ORGANISATIONS, encoding="utf-8")
    site.run("import-organisations", str(registry))
    site.run("load-questionnaire", str(ROOT / "questionnaires/palliasjon-kommune.yaml"))
    site.run(
        "createsuperuser",
        "--noinput",
        env={
            "DJANGO_SUPERUSER_USERNAME": "leder",
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
            "DJANGO_SUPERUSER_EMAIL": "leder@usht.example.no",
        },
    )


def log_in_with_two_factor(page, site) -> None:
    page.goto(site.url + "/konto/logg-inn/")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Slå på tofaktorautentisering")).to_be_visible()
    secret = page.locator("#nokkel code").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Engangskode").fill(f"{totp(key):06d}")
    page.get_by_label("Engangskode").press("Enter")
    expect(page.get_by_text("Tofaktorautentisering er slått på for kontoen din.")).to_be_visible()


def create_survey_and_invite(page, site, tmp_path) -> None:
    page.goto(site.url + "/kartlegginger/ny/")
    page.get_by_label("Tittel").fill("Palliasjon i Vestfold 2027")
    page.get_by_label("Kortnavn").fill("vestfold-2027")
    page.get_by_label("Spørreskjema", exact=True).select_option(label="palliasjon-kommune v1")
    page.get_by_label("Svarfrist").fill("2027-03-01")
    page.get_by_label("Vestfold").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Kartleggingen er opprettet som utkast.")).to_be_visible()

    page.get_by_role("link", name="Importer respondenter").click()
    respondents = tmp_path / "respondenter.csv"
    respondents.write_text(RESPONDENTS, encoding="utf-8")
    page.locator("input[type=file]").set_input_files(respondents)
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("2 respondenter er importert.")).to_be_visible()

    page.goto(site.url + "/kartlegginger/vestfold-2027/")
    page.get_by_role("button", name="Åpne for svar").click()
    page.get_by_role("button", name="Send invitasjon til 2 respondenter").click()
    expect(page.get_by_role("button", name=re.compile("Send invitasjon til"))).to_have_count(0)


def wait_saved(page) -> None:
    expect(page.locator("#lagrestatus")).to_have_text(re.compile(r"Lagret kl\. \d\d:\d\d"))


def answer_on_a_phone(browser, link: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo")
    page = context.new_page()
    page.goto(link)
    page.get_by_role("link", name="Start").click()
    page.get_by_label("Kreftkoordinator eller palliasjonskoordinator").check()
    wait_saved(page)
    page.goto(link + "del/organisering_koordinator/")
    page.get_by_role("group", name=re.compile("Har kommunen kreftkoordinator")).get_by_label(
        "Ja", exact=True
    ).check()
    wait_saved(page)
    page.get_by_role("group", name=re.compile("Har kommunen et palliativt team")).get_by_label(
        "Ja", exact=True
    ).check()
    wait_saved(page)
    page.goto(link + "del/organisering_senger/")
    page.get_by_role("group", name=re.compile("Har kommunen en palliativ")).get_by_label(
        "Nei", exact=True
    ).check()
    wait_saved(page)
    page.goto(link + "oppsummering/")
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_role("heading", name="Takk! Svarene dine er sendt inn.")).to_be_visible()
    context.close()


def report_status(page, site) -> str:
    return page.request.get(site.url + "/kartlegginger/vestfold-2027/resultater/rapporter/").text()


def test_a_whole_season_on_the_production_stack(site, smtp, browser, tmp_path):
    inbox = smtp[0]
    prepare(site, tmp_path)
    site.start_server()
    site.start_worker()

    leader = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo").new_page()
    log_in_with_two_factor(leader, site)
    create_survey_and_invite(leader, site, tmp_path)

    invitation = inbox.wait_for("kari@horten.example", "Invitasjon")
    inbox.wait_for("ola@larvik.example", "Invitasjon")
    link = LINK.search(invitation.get_body(("plain",)).get_content()).group(0)
    answer_on_a_phone(browser, link)
    inbox.wait_for("kari@horten.example", "Kvittering")

    leader.goto(site.url + "/kartlegginger/vestfold-2027/resultater/")
    leader.get_by_role("button", name="Lag PDF").click()
    wait_until(lambda: "Lages" in report_status(leader, site), 60, "the report to start")
    site.kill_worker()
    assert "Lages" in report_status(leader, site)  # the dead worker left it running

    site.start_worker()
    wait_until(lambda: "Last ned" in report_status(leader, site), 180, "the report to finish")
    leader.reload()
    with leader.expect_download() as download:
        leader.get_by_role("link", name=re.compile("Last ned")).first.click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "".join(page.extract_text() for page in pdf.pages[:3])
    assert "Palliasjon i Vestfold 2027" in text
    assert "lost its worker; queued again" in (site.var / "worker.log").read_text()

    health = json.load(site.get("/helse/"))
    assert health["status"] == "ok" and health["worker"]["status"] == "ok"

    access_log = site.web_log.read_text()
    assert "/s/[skjult]/" in access_log
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in access_log
    assert token not in (site.var / "worker.log").read_text()
