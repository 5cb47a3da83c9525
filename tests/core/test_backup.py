"""`kartlegging backup` / `restore` in-process; the full round trip runs in tests/system/."""

import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kartlegging.core import migrations as core_migrations

CORE_MIGRATIONS = Path(core_migrations.__file__).parent


@pytest.fixture
def archive(transactional_db, survey, tmp_path):
    path = tmp_path / "kopier" / "kartlegging.tar.gz"
    call_command("backup", "-o", str(path), stdout=io.StringIO())
    return path


def test_archive_holds_manifest_and_a_readable_database(archive, tmp_path):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        tar.extractall(tmp_path / "ut", filter="data")
    assert manifest["engine"] == connection.vendor
    newest_core = sorted(p.stem for p in CORE_MIGRATIONS.glob("0*.py"))[-1]
    assert manifest["migrations"]["core"] == newest_core
    if connection.vendor == "sqlite":
        assert "database.sqlite3" in names
        db = sqlite3.connect(tmp_path / "ut" / "database.sqlite3")
        assert db.execute("select slug from surveys_survey").fetchall() == [("test",)]
    else:
        assert "database.pgdump" in names
        assert (tmp_path / "ut" / "database.pgdump").read_bytes().startswith(b"PGDMP")


def test_archive_is_readable_by_its_owner_only(archive):
    assert archive.stat().st_mode & 0o777 == 0o600


def test_restore_refuses_a_database_that_is_not_empty(archive):
    with pytest.raises(CommandError, match="Databasen er ikke tom .* bruk --force"):
        call_command("restore", str(archive))


def test_restore_refuses_a_file_that_is_not_a_backup(transactional_db, tmp_path):
    junk = tmp_path / "notater.tar.gz"
    junk.write_text("ikke et arkiv")
    with pytest.raises(CommandError, match="er ikke en sikkerhetskopi"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="Fant ikke filen"):
        call_command("restore", str(tmp_path / "mangler.tar.gz"))


def test_restore_refuses_a_backup_of_another_database_kind(archive, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    manifest["engine"] = other
    data = json.dumps(manifest).encode()
    forged = tmp_path / "annen.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match=f"Sikkerhetskopien er fra {other}"):
        call_command("restore", str(forged))


def test_restore_refuses_an_archive_with_a_path_outside_it(transactional_db, tmp_path):
    evil = tmp_path / "ond.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../utenfor.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(CommandError, match="er ikke en sikkerhetskopi"):
        call_command("restore", str(evil))
    assert not (tmp_path / "utenfor.txt").exists()
