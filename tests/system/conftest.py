"""System tier: the real processes, as production runs them, driven over HTTP.

Each test gets its own site: a fresh database (a SQLite file, or a new PostgreSQL database
on the server in DATABASE_URL, as in CI's second pass), `kartlegging serve` (gunicorn) and
`kartlegging worker` as child processes in KARTLEGGING_MODE=production, and an aiosmtpd
SMTP server. Everything listens on 127.0.0.1 and is stopped when the test ends.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller

from tests.browser.conftest import (  # noqa: F401  (Playwright with Debian's Chromium)
    browser_context_args,
    browser_type_launch_args,
)
from tests.smtp import Inbox, free_port

ROOT = Path(__file__).resolve().parents[2]
KARTLEGGING = Path(sys.executable).parent / "kartlegging"
PASSWORD = "et-langt-passord-for-systemtest"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/system" in str(item.fspath):
            item.add_marker(pytest.mark.system)


def wait_until(condition: Callable[[], object], timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """collectstatic once per session (hashed, compressed names), shared by every site."""
    root = tmp_path_factory.mktemp("static")
    env = production_env(tmp_path_factory.mktemp("collect"), None, 25, 8000)
    subprocess.run(  # noqa: S603
        [KARTLEGGING, "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    (Path(env["KARTLEGGING_VAR_DIR"]) / "static").rename(root / "static")
    return root / "static"


def production_env(var_dir: Path, database_url: str | None, smtp_port: int, port: int) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KARTLEGGING_", "DJANGO_", "DATABASE_URL", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kartlegging.settings",
        KARTLEGGING_MODE="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="false",
        SITE_URL=f"http://127.0.0.1:{port}",
        KARTLEGGING_VAR_DIR=str(var_dir),
        KARTLEGGING_NODE_MODULES=str(ROOT / "node_modules"),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        DEFAULT_FROM_EMAIL="kartlegging@usht.example.no",
        WORKER_TIMEOUT_SECONDS="10",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


ORGANISATIONS = (
    "nummer,navn,type,innbyggere,fylke\n"
    "3901,Horten,kommune,27939,Vestfold\n3909,Larvik,kommune,48715,Vestfold\n"
)


def survey_with_respondents(site, tmp_path, emails=("kari@horten.example",)) -> list[str]:
    """An open survey of the default questionnaire set up with the CLI; the links' paths."""
    registry = tmp_path / f"org-{site.port}.csv"
    registry.write_text(ORGANISATIONS, encoding="utf-8")
    site.run("import-organisations", str(registry))
    site.run("load-questionnaire", str(ROOT / "questionnaires/palliasjon-kommune.yaml"))
    site.run(
        "create-survey",
        "--questionnaire",
        "palliasjon-kommune",
        "--slug",
        "drift",
        "--title",
        "Driftsprøve",
        "--organisations",
        "3901,3909",
    )
    site.run("open-survey", "drift")
    links = []
    for n, address in enumerate(emails):
        result = site.run(
            "add-respondent",
            "--survey",
            "drift",
            "--organisation",
            "3901" if n % 2 == 0 else "3909",
            "--name",
            f"Respondent {n}",
            "--email",
            address,
        )
        links.append(result.stdout.strip().splitlines()[-1].replace(site.env["SITE_URL"], ""))
    return links


class Respondent:
    """A respondent's browser as far as the server can tell: cookies, CSRF, htmx autosave."""

    def __init__(self, site, link: str):
        self.site, self.link = site, link
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.csrf = ""
        self.versions: dict[str, int] = {}

    def open(self, path: str, data: dict | None = None, headers: dict | None = None):
        request = urllib.request.Request(
            self.site.url + self.link + path,
            data=None if data is None else urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.site.url + self.link, **(headers or {})},
        )
        return self.opener.open(request, timeout=30)

    def _read_form(self, page: str) -> None:
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        self._read_form_versions(page)

    def save(self, section: str, key: str, value: str) -> bool:
        """One autosave as htmx sends it; True when the server said «Lagret»."""
        if key not in self.versions:
            self._read_form(self.open(f"del/{section}/").read().decode())
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "_sporsmal": key,
            key: value,
            f"_v_{key}": self.versions[key],
        }
        body = self.open(f"del/{section}/", data, {"HX-Request": "true"}).read().decode()
        if "Lagret kl." not in body:
            return False
        self._read_form_versions(body)
        return True

    def _read_form_versions(self, body: str) -> None:
        for key, version in re.findall(r'name="_v_([a-z0-9_]+)"[^>]*value="(\d+)"', body):
            self.versions[key] = int(version)


class Site:
    def __init__(self, tmp: Path, database_url: str | None, smtp_port: int, static_root: Path):
        self.var = tmp / "var"
        self.var.mkdir(parents=True)
        (self.var / "static").symlink_to(static_root)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = production_env(self.var, database_url, smtp_port, self.port)
        self.processes: list[subprocess.Popen] = []
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    @property
    def web_log(self) -> Path:
        return self.var / "web.log"

    def run(self, *args: str, env: dict | None = None, check: bool = True):
        result = subprocess.run(  # noqa: S603
            [KARTLEGGING, *args],
            env={**self.env, **(env or {})},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and result.returncode:
            raise AssertionError(f"kartlegging {' '.join(args)} failed:\n{result.stderr}")
        return result

    def _start(self, args: list[str], log: Path) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603
            [KARTLEGGING, *args],
            env=self.env,
            cwd=ROOT,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group: SIGKILL reaches every child
        )
        self.processes.append(process)
        return process

    def start_server(self, workers: int = 2) -> None:
        self.server = self._start(
            ["serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            self.web_log,
        )
        wait_until(self._answers, 60, "kartlegging serve to answer")

    def _answers(self) -> bool:
        try:
            self.get("/helse/")
        except urllib.error.HTTPError:
            return True  # 503 is an answer
        except OSError:
            return False
        return True

    def start_worker(self) -> None:
        self.worker = self._start(["worker", "--interval", "1"], self.var / "worker.log")

    def kill_worker(self) -> None:
        """What a power loss does to the worker: no clean-up, no goodbye."""
        assert self.worker is not None
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=10)

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        return urllib.request.urlopen(request, timeout=30)  # noqa: S310  (loopback only)

    def get_status(self, path: str) -> int:
        try:
            return self.get(path).status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0  # not listening (yet)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=30)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def _postgres_database(base_url: str) -> Iterator[str]:
    """A fresh database on the server in DATABASE_URL, dropped afterwards."""
    import psycopg

    name = f"kartlegging_system_{secrets.token_hex(4)}"
    parts = urlsplit(base_url)
    admin = psycopg.connect(base_url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def new_database_url() -> Iterator[Callable[[], str | None]]:
    """Makes empty databases: None (a SQLite file in the site's var/) or a PostgreSQL URL."""
    base = os.environ.get("DATABASE_URL")
    made: list[Iterator[str]] = []

    def make() -> str | None:
        if not base:
            return None
        database = _postgres_database(base)
        made.append(database)
        return next(database)

    yield make
    for database in made:
        next(database, None)


@pytest.fixture
def make_site(tmp_path, smtp, static_root, new_database_url):
    sites: list[Site] = []

    def make(name: str = "site") -> Site:
        site = Site(tmp_path / name, new_database_url(), smtp[1], static_root)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.stop()


@pytest.fixture
def site(make_site) -> Site:
    site = make_site()
    site.run("migrate", "--noinput")
    return site
