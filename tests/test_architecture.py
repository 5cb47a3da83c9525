"""Data flows one way: each app imports only apps of its own or an earlier stage.

The stages are written down in docs/architecture.md; STAGES here is the same list. A module
of an app may import `kartlegging.<other>` only when <other> comes earlier in STAGES (or is
the same app), and a model may name another app's model ("app.Model") only on the same
terms. Modules outside the apps (urls.py, settings.py, cli.py, wsgi.py) sit above every
stage and compose them. Migrations are left out: they record history.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kartlegging"

# Lowest first. Apps on one line share a floor and may not import each other.
STAGES = [
    ["core"],
    ["accounts"],
    ["organisations", "questionnaires"],  # define
    ["surveys"],  # invite
    ["responses"],  # answer
    ["analysis"],  # analyse
    ["recommendations"],  # recommend
    ["reports"],  # report
]
FLOOR = {app: level for level, apps in enumerate(STAGES) for app in apps}
MODEL_REFERENCE = re.compile(r"^([a-z_]+)\.[A-Z]\w*$")  # "surveys.Survey" in a ForeignKey


def test_every_app_has_a_stage():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert apps == set(FLOOR), "add the app to STAGES here and in docs/architecture.md"


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) > 1 and parts[0] in FLOOR and "migrations" not in parts:
            yield parts[0], path


def _references(tree: ast.AST):
    """(line, app) of every `kartlegging.<app>` import and "app.Model" string."""
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "kartlegging" and len(parts) > 1 and parts[1] in FLOOR:
                yield node.lineno, parts[1]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found = MODEL_REFERENCE.match(node.value)
            if found and found.group(1) in FLOOR:
                yield node.lineno, found.group(1)


def back_references() -> list[str]:
    found = []
    for app, path in _modules():
        for line, target in _references(ast.parse(path.read_text(encoding="utf-8"))):
            if target != app and FLOOR[target] >= FLOOR[app]:
                found.append(f"{path.relative_to(PACKAGE)}:{line} → {target}")
    return sorted(set(found))


def test_no_app_imports_a_later_stage_or_a_neighbour():
    assert back_references() == []


@pytest.mark.parametrize(
    ("source", "app"),
    [
        ("from kartlegging.reports.models import ReportFile", "recommendations"),
        ("from kartlegging.responses.models import Response", "surveys"),
        ("import kartlegging.analysis.table", "responses"),
        ("from kartlegging import reports", "analysis"),
        ('ForeignKey("surveys.Survey", on_delete=CASCADE)', "core"),
        ("from kartlegging.questionnaires.models import Q", "organisations"),  # same floor
    ],
)
def test_the_check_would_catch_a_back_reference(source, app):
    references = [target for _line, target in _references(ast.parse(source))]
    assert any(t != app and FLOOR[t] >= FLOOR[app] for t in references)
