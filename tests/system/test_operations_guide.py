"""Every app command in the operations guide (docs/drift.md) runs, as written, through the
shipped `deploy/kartlegging-manage` and the systemd units' ExecStart lines.

System administration (apt-get, systemctl, certbot, nginx) is the server's own business and
is not run here; the app's side of every step is.
"""

from __future__ import annotations

import getpass
import os
import re
import shlex
import shutil
import subprocess
import time

from tests.system.conftest import KARTLEGGING, PASSWORD, ROOT, wait_until

GUIDE = ROOT / "docs/drift.md"
DEPLOY = ROOT / "deploy"
EXAMPLE_DATE = "2026-12-01"
SETTINGS = (
    "KARTLEGGING_MODE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "HTTPS",
    "SITE_URL",
    "KARTLEGGING_VAR_DIR",
    "KARTLEGGING_NODE_MODULES",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "WORKER_TIMEOUT_SECONDS",
    "DATABASE_URL",
)


def guide_lines() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def unit_exec_starts(name: str) -> list[str]:
    text = (DEPLOY / name).read_text(encoding="utf-8")
    # systemd writes $ as $$ and % as %% in unit files.
    return [
        line.split("=", 1)[1].replace("$$", "$").replace("%%", "%")
        for line in text.splitlines()
        if line.startswith("ExecStart=")
    ]


class Server:
    """The guide's paths mapped onto one test site."""

    def __init__(self, site, backups):
        self.site, self.backups = site, backups
        self.env_file = site.var / "kartlegging.env"
        self.env_file.write_text(
            "".join(f"{key}={site.env[key]}\n" for key in SETTINGS if key in site.env)
        )
        # A clean environment, as a login shell has: no test settings leak in.
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "KARTLEGGING_ENV_FILE": str(self.env_file),
            "KARTLEGGING_HOME": str(ROOT),
            "KARTLEGGING_USER": getpass.getuser(),
        }

    @property
    def unit_env(self) -> dict:
        """What systemd gives a unit: its EnvironmentFile=, nothing from a shell."""
        settings = {key: self.site.env[key] for key in SETTINGS if key in self.site.env}
        return {**settings, "PYTHONUNBUFFERED": "1"}

    def translate(self, line: str) -> str:
        return (
            line.replace("/var/backups/kartlegging", str(self.backups))
            .replace("/opt/kartlegging/.venv/bin/kartlegging", str(KARTLEGGING))
            .replace("kartlegging-manage ", f"{DEPLOY / 'kartlegging-manage'} ")
            .replace("https://kartlegging.example.no", self.site.url)
            .replace("127.0.0.1:8000", f"127.0.0.1:{self.site.port}")
        )

    def sh(self, line: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603
            ["/bin/bash", "-c", self.translate(line)],
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        return result

    def start(self, line: str, log: str) -> None:
        process = subprocess.Popen(  # noqa: S603
            shlex.split(self.translate(line)),
            env={**self.env, **self.unit_env},
            stdout=(self.site.var / log).open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.site.processes.append(process)


def test_every_app_command_in_the_operations_guide_runs(make_site, smtp, tmp_path):
    inbox = smtp[0]
    lines = guide_lines()
    manage = [line for line in lines if line.startswith("kartlegging-manage ")]
    assert len(set(manage)) >= 8, manage
    backups = tmp_path / "backups"
    backups.mkdir()

    # Installation and upgrades, on the first server.
    first = Server(make_site("first"), backups)
    superuser = {
        "DJANGO_SUPERUSER_USERNAME": "leder",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "DJANGO_SUPERUSER_EMAIL": "leder@usht.example.no",
    }
    restores = []
    for line in dict.fromkeys(manage):  # in the guide's order, each once
        if " restore " in line:
            restores.append(line)
        elif line.endswith(" createsuperuser"):
            # Interactive in the guide; the same command with the answers given up front.
            first.sh(line + " --noinput", superuser)
        else:
            first.sh(line)
    assert inbox.wait_for("adresse@example.no", "")  # sendtestemail reached the SMTP server
    (written,) = backups.glob("kartlegging-*.tar.gz")
    assert written.name == f"kartlegging-{time.strftime('%Y-%m-%d')}.tar.gz"

    # The nightly unit writes one more the same way (same day: it replaces that file).
    for line in unit_exec_starts("kartlegging-backup.service"):
        first.sh(line, first.unit_env)
    assert list(backups.glob("kartlegging-*.tar.gz")) == [written]

    # The restore drill, on an empty second server.
    shutil.copy(written, backups / f"kartlegging-{EXAMPLE_DATE}.tar.gz")
    second = Server(make_site("second"), backups)
    assert [r for r in restores if "--force" not in r], restores
    for line in restores:
        second.sh(line)
    second.sh("kartlegging-manage migrate")

    # Both services as systemd starts them, then the guide's health check.
    (web,) = unit_exec_starts("kartlegging-web.service")
    (worker,) = unit_exec_starts("kartlegging-worker.service")
    second.start(web, "web.log")
    second.start(worker, "worker.log")
    health = [line for line in lines if line.startswith("curl ") and "/helse/" in line]
    assert health
    wait_until(lambda: second.site.get_status("/helse/") == 200, 60, "/helse/ to answer 200")
    for line in dict.fromkeys(health):
        assert '"status": "ok"' in second.sh(line).stdout
    users = second.site.run(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; print(User.objects.get().username)",
    )
    assert users.stdout.strip().splitlines()[-1] == "leder"
