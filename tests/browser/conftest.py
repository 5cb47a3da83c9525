"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from pathlib import Path

import pytest
from django.utils import timezone

from kartlegging.organisations.models import Organisation
from kartlegging.responses import followup
from tests.conftest import PERSONA_PASSWORD, invite

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = (ROOT / "node_modules/axe-core/axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nb-NO", "timezone_id": "Europe/Oslo"}


def assert_accessible(page, tags: list[str] = WCAG_TAGS) -> None:
    """Run axe-core with the WCAG 2.1 A/AA tags (or `tags`); fail listing every violation."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        tags,
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} → "
        + ", ".join(json.dumps(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not problems, f"axe found violations on {page.url}:\n" + "\n".join(problems)


class Weigher:
    """Adds up what a page load transfers, counting text as gzip (as WhiteNoise serves it)."""

    def __init__(self, page):
        self.sizes: dict[str, int] = {}
        page.on("response", self._record)

    def _record(self, response) -> None:
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        kind = response.headers.get("content-type", "")
        compressible = any(t in kind for t in ("text/", "javascript", "json", "svg"))
        self.sizes[response.url] = len(gzip.compress(body)) if compressible else len(body)

    @property
    def total(self) -> int:
        return sum(self.sizes.values())


@pytest.fixture
def leader(transactional_db, people):
    """The survey's project leader, signing in with a password in the browser."""
    return people["leder"]


@pytest.fixture
def fieldwork(survey, horten):
    larvik = Organisation.objects.create(
        number="3909", name="Larvik", county="Vestfold", population=48715
    )
    survey.organisations.add(larvik)
    kari = invite(survey, horten, email="kari@horten.example")
    ola = invite(survey, larvik, email="ola@larvik.example", name="Ola Larvik")
    followup.queue_invitations(survey, now=timezone.now() - dt.timedelta(days=10))
    return {"kari": kari, "ola": ola}


def log_in(page, live_server, next_path="/kartlegginger/test/"):
    page.goto(f"{live_server.url}/konto/logg-inn/?next={next_path}")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
