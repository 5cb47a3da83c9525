"""One consistent backup archive of a running site, and its restore into an empty database.

The archive (tar.gz) holds `manifest.json`, the database (SQLite through its online backup
API, which copies a consistent snapshot while others write; PostgreSQL as a `pg_dump`
custom-format dump, also a snapshot) and the files directory (MEDIA_ROOT) under `files/`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump / pg_restore, with argument lists only)
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
FILES_MEMBER = "files"


class BackupError(Exception):
    """A problem the operator can fix; the message says how, in Norwegian."""


@dataclass
class Restored:
    engine: str
    created_at: str
    tables: int


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Sikkerhetskopi støttes bare for SQLite og PostgreSQL."))
    return vendor


def _pg_env() -> dict[str, str]:
    """libpq's own variables: the password never appears on a command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(
            _(
                "Fant ikke %(tool)s. Installer PostgreSQL-klienten (apt-get install postgresql-client)."
            )
            % {"tool": command[0]}
        )
    result = subprocess.run(  # noqa: S603
        [tool, *command[1:]], env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(
            _("%(tool)s feilet: %(error)s") % {"tool": command[0], "error": result.stderr.strip()}
        )


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def backup(target: Path) -> dict:
    """Write the archive to `target` (atomically, readable by its owner only)."""
    vendor = engine()
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".kartlegging-backup-") as tmp:
        work = Path(tmp)
        if vendor == "sqlite":
            dump = work / SQLITE_MEMBER
            connection.ensure_connection()
            destination = sqlite3.connect(dump)
            try:
                # One step (pages=-1): the copy is one snapshot even while others write.
                connection.connection.backup(destination, pages=-1)
            finally:
                destination.close()
        else:
            dump = work / POSTGRES_MEMBER
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(dump)])
        manifest = {
            "format": FORMAT,
            "engine": vendor,
            "created_at": timezone.now().isoformat(),
            "kartlegging": version("kartlegging"),
            "migrations": _migrations(),
        }
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname=FILES_MEMBER)
        partial.chmod(0o600)  # names, e-mail addresses and answers: personal data
        partial.replace(target)
    manifest["size"] = target.stat().st_size
    return manifest


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _extract(archive: tarfile.TarFile, into: Path) -> None:
    """Unpack only plain files and folders inside `into` (never links or absolute paths)."""
    if hasattr(tarfile, "data_filter"):
        archive.extractall(into, filter="data")
        return
    # Debian 12's Python 3.11.2 predates extraction filters: the same rules by hand.
    root = into.resolve()
    for member in archive.getmembers():
        target = (into / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(root):
            raise tarfile.TarError(f"unsafe member {member.name!r}")
    archive.extractall(into)  # noqa: S202  (every member checked above)


def restore(source: Path, *, force: bool = False) -> Restored:
    """Restore `source` into this site's database, which must be empty unless `force`."""
    if not source.is_file():
        raise BackupError(_("Fant ikke filen %(path)s.") % {"path": source})
    vendor = engine()
    with tempfile.TemporaryDirectory(prefix="kartlegging-restore-") as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(source, "r:gz") as archive:
                _extract(archive, work)
            manifest = json.loads((work / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError, KeyError):
            raise BackupError(
                _("%(path)s er ikke en sikkerhetskopi fra «kartlegging backup».") % {"path": source}
            ) from None
        if manifest.get("format") != FORMAT:
            raise BackupError(_("Ukjent format på sikkerhetskopien (%(format)s).") % manifest)
        if manifest["engine"] != vendor:
            raise BackupError(
                _(
                    "Sikkerhetskopien er fra %(backup)s, men databasen her er %(here)s. "
                    "Gjenopprett til samme databasetype."
                )
                % {"backup": manifest["engine"], "here": vendor}
            )
        existing = _tables()
        if existing and not force:
            raise BackupError(
                _(
                    "Databasen er ikke tom (%(count)d tabeller). Gjenopprett til en tom database, "
                    "eller bruk --force for å erstatte innholdet."
                )
                % {"count": len(existing)}
            )
        if vendor == "sqlite":
            source_db = sqlite3.connect(work / SQLITE_MEMBER)
            try:
                connection.ensure_connection()
                source_db.backup(connection.connection, pages=-1)
            finally:
                source_db.close()
        else:
            clean = ["--clean", "--if-exists"] if existing else []
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    *clean,
                    "--dbname",
                    str(settings.DATABASES["default"]["NAME"]),
                    str(work / POSTGRES_MEMBER),
                ]
            )
        files = work / FILES_MEMBER
        if files.is_dir():
            media = Path(settings.MEDIA_ROOT)
            if media.exists() and force:
                shutil.rmtree(media)
            shutil.copytree(files, media, dirs_exist_ok=True)
    connection.close()
    return Restored(vendor, manifest["created_at"], len(_tables()))
