"""Guard rail: every named URL of the project has an access decision, and keeps it.

The walk goes through every named pattern in the URLconf (namespaced includes too; not
the Django admin, not static files) and asks it as each persona: anonymous, a staff user
outside the survey («utenfor»), the project group («gruppe») and the project leader
(«leder»); token pages also with the right link («respondent»). A new page that is not in
PAGES fails the build until someone decides who may see it.

Checked per answer: the status for the persona, login redirects for anonymous staff
pages, no respondent data behind a wrong link, exactly one <h1> on full HTML pages, and
`no-store` on every staff and respondent page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kartlegging.core.models import WorkerHeartbeat
from kartlegging.questionnaires import drafts
from kartlegging.reports.models import ReportFile
from kartlegging.surveys import handover
from kartlegging.surveys.models import Email, Membership
from tests.conftest import invite

pytestmark = pytest.mark.django_db

# --------------------------------------------------------------------------- the table

PUBLIC = "public"  # anyone, logged in or not
RESPONDENT = "respondent"  # the personal link /s/<token>/…; nobody else
STAFF = "staff"  # any logged-in staff user; not tied to one survey
STAFF_READ = "staff_read"  # the survey's leader and project group; others 404
STAFF_MANAGE = "staff_manage"  # the survey's leader; project group 403, others 404

PAGE, FRAGMENT, DOWNLOAD, DATA = "page", "fragment", "download", "data"


@dataclass(frozen=True)
class Page:
    """One URL pattern's access decision and what its entitled persona gets.

    `get` and `post` are the statuses for the leader (staff pages), the right link
    (respondent pages) or anyone (public pages); `post=None` means not POSTed.
    Values of `kwargs` starting with "@" are objects made by the `world` fixture.
    """

    access: str
    kwargs: dict = field(default_factory=dict)
    get: int = 200
    post: int | None = None
    kind: str = PAGE
    data: dict = field(default_factory=dict)  # POST fields besides BLANK
    note: str = ""


SLUG = {"slug": "test"}
RESPONDENT_PK = {"slug": "test", "pk": "@respondent"}
TOKEN = {"token": "@token"}
POST_ONLY = 405  # GET on a POST-only view: refused before the survey is looked up
# What a browser sends for a form left blank. A body with no fields at all would leave
# `Form(request.POST or None)` unbound: the page again with 200, not the 422 a person gets.
BLANK = {"csrfmiddlewaretoken": "the-test-client-does-not-check-it"}

PAGES: dict[str, Page] = {
    # Public: no login, no survey.
    "home": Page(PUBLIC),
    "health": Page(PUBLIC, kind=DATA, note="JSON for monitors; 200 with a live worker"),
    "accounts:login": Page(PUBLIC),
    "accounts:logout": Page(PUBLIC, get=405, post=302, note="POST only; then to the login"),
    "accounts:forgotten_password": Page(PUBLIC),
    "accounts:forgotten_password_sent": Page(PUBLIC),
    "accounts:new_password": Page(
        PUBLIC, {"uidb64": "x", "token": "x"}, note="a bad link: the «invalid link» page"
    ),
    "accounts:new_password_done": Page(PUBLIC),
    # Any staff account: own surveys, a new survey, own login security.
    "surveys:list": Page(STAFF, note="lists only the user's own surveys"),
    "surveys:create": Page(STAFF, post=422, note="any staff user may start a survey"),
    "accounts:two_factor": Page(STAFF, post=422, note="login_required; empty code: 422"),
    "accounts:security": Page(STAFF),
    "organisations:import": Page(STAFF, post=422, note="the shared registry; no file: 422"),
    # The questionnaire editor: any staff user; questionnaires are not personal data.
    "questionnaires:library": Page(STAFF),
    "questionnaires:upload": Page(STAFF, get=POST_ONLY, post=422, note="no file: 422"),
    "questionnaires:compare": Page(STAFF),
    "questionnaires:version": Page(STAFF, {"pk": "@version"}),
    "questionnaires:copy": Page(STAFF, {"pk": "@version"}, get=POST_ONLY, post=302),
    "questionnaires:download": Page(
        STAFF, {"kind": "versjon", "pk": "@version", "fmt": "xlsx"}, kind=DOWNLOAD
    ),
    "questionnaires:draft": Page(STAFF, {"pk": "@draft"}),
    "questionnaires:head": Page(STAFF, {"pk": "@draft"}, post=422, note="empty title: 422"),
    "questionnaires:move": Page(
        STAFF, {"pk": "@draft"}, get=POST_ONLY, post=404, note="names nothing to move: 404"
    ),
    "questionnaires:section_add": Page(STAFF, {"pk": "@draft"}, post=422),
    "questionnaires:section": Page(STAFF, {"pk": "@draft", "key": "bakgrunn"}, post=422),
    "questionnaires:section_remove": Page(
        STAFF, {"pk": "@draft", "key": "bakgrunn"}, post=302, note="GET asks, POST removes"
    ),
    "questionnaires:question_add": Page(STAFF, {"pk": "@draft", "section": "bakgrunn"}, post=422),
    "questionnaires:question": Page(STAFF, {"pk": "@draft", "key": "fagdag_dato"}, post=422),
    "questionnaires:question_remove": Page(
        STAFF,
        {"pk": "@draft", "key": "respondent_rolle"},
        post=409,
        note="another question's condition reads it: refused, nothing removed",
    ),
    "questionnaires:preview_frames": Page(STAFF, {"pk": "@draft"}),
    "questionnaires:preview": Page(
        STAFF, {"pk": "@draft"}, post=200, note="answers are never stored: the page again"
    ),
    "questionnaires:take_into_use": Page(
        STAFF, {"pk": "@draft"}, post=409, note="unchanged copy: the version exists already"
    ),
    "questionnaires:draft_delete": Page(
        STAFF, {"pk": "@draft"}, post=302, note="GET asks, POST deletes"
    ),
    # Read: leader and project group.
    "surveys:dashboard": Page(STAFF_READ, SLUG),
    "surveys:status": Page(STAFF_READ, SLUG, kind=FRAGMENT, note="htmx poll of the dashboard"),
    "surveys:export": Page(STAFF_READ, {**SLUG, "fmt": "csv"}, kind=DOWNLOAD),
    "surveys:respondent": Page(STAFF_READ, RESPONDENT_PK),
    "reports:facts": Page(STAFF_READ, SLUG),
    "reports:results": Page(STAFF_READ, SLUG),
    "reports:summary": Page(STAFF_READ, SLUG, note="the group reads; only the leader may post"),
    "reports:request": Page(
        STAFF_READ,
        SLUG,
        get=POST_ONLY,
        post=302,
        data={"format": "html"},
        note="the project group may order a report too; empty format would be 404",
    ),
    "reports:files": Page(STAFF_READ, SLUG, kind=FRAGMENT, note="htmx list of report files"),
    "reports:download": Page(STAFF_READ, {**SLUG, "pk": "@report"}, kind=DOWNLOAD),
    "reports:export": Page(STAFF_READ, {**SLUG, "fmt": "csv"}, kind=DOWNLOAD),
    "reports:organisation": Page(STAFF_READ, {**SLUG, "number": "3901"}),
    "recommendations:codebook": Page(STAFF_READ, SLUG),
    "recommendations:overview": Page(STAFF_READ, SLUG),
    "recommendations:region": Page(STAFF_READ, SLUG),
    "recommendations:download": Page(STAFF_READ, {**SLUG, "fmt": "csv"}, kind=DOWNLOAD),
    "recommendations:scorecard": Page(STAFF_READ, {**SLUG, "number": "3901"}),
    # Manage: the leader only.
    "surveys:settings": Page(STAFF_MANAGE, SLUG, post=422, note="empty form: 422"),
    "surveys:state": Page(
        STAFF_MANAGE,
        {**SLUG, "action": "lukk"},
        post=200,
        note="closing asks first: the confirmation page until «bekreft» is posted",
    ),
    "surveys:members": Page(STAFF_MANAGE, SLUG, post=422, note="empty invitation: 422"),
    "surveys:member_action": Page(
        STAFF_MANAGE,
        {**SLUG, "pk": "@membership", "action": "fjern"},
        get=POST_ONLY,
        post=302,
        note="removes the project group's membership",
    ),
    "surveys:privacy": Page(
        STAFF_MANAGE, SLUG, post=200, note="open survey: «lukk først», the page again"
    ),
    "surveys:email_texts": Page(
        STAFF_MANAGE, SLUG, post=200, note="blank texts are allowed; without «lagre»: a preview"
    ),
    "surveys:invite_all": Page(STAFF_MANAGE, SLUG, get=POST_ONLY, post=302),
    "surveys:remind_all": Page(STAFF_MANAGE, SLUG, get=POST_ONLY, post=302),
    "surveys:remind_organisation": Page(
        STAFF_MANAGE, {**SLUG, "number": "3901"}, get=POST_ONLY, post=302
    ),
    "surveys:retry_email": Page(
        STAFF_MANAGE,
        {**SLUG, "pk": "@email"},
        get=POST_ONLY,
        post=302,
        note="a failed e-mail, queued again",
    ),
    "surveys:handover_undo": Page(
        STAFF_MANAGE, {**SLUG, "pk": "@colleague"}, post=302, note="GET asks, POST undoes"
    ),
    "surveys:respondent_add": Page(STAFF_MANAGE, SLUG, post=422, note="empty form: 422"),
    "surveys:respondent_import": Page(STAFF_MANAGE, SLUG, post=422, note="no file: 422"),
    "surveys:respondent_delete": Page(
        STAFF_MANAGE, RESPONDENT_PK, post=302, note="GET asks, POST anonymises"
    ),
    "surveys:respondent_edit": Page(STAFF_MANAGE, RESPONDENT_PK, post=422, note="empty: 422"),
    "surveys:respondent_action": Page(
        STAFF_MANAGE, {**RESPONDENT_PK, "action": "inviter"}, get=POST_ONLY, post=302
    ),
    "audit_log": Page(STAFF_MANAGE, SLUG),
    "innsyn": Page(STAFF_MANAGE, {**RESPONDENT_PK, "fmt": "json"}, kind=DOWNLOAD),
    "reports:choose_fact": Page(
        STAFF_MANAGE,
        SLUG,
        get=POST_ONLY,
        post=404,
        note="empty POST names no organisation: 404 (the group's 403 comes first)",
    ),
    "recommendations:thresholds": Page(
        STAFF_MANAGE, SLUG, get=POST_ONLY, post=302, note="nothing to change: back"
    ),
    "recommendations:rules_version": Page(
        STAFF_READ, SLUG, note="the group reads which rules version; only the leader may move"
    ),
    "recommendations:knowledge": Page(
        STAFF_MANAGE,
        SLUG,
        post=302,
        note="the rules' verification notes: the leader only; POST turns local proposals on/off",
    ),
    "recommendations:decide": Page(
        STAFF_MANAGE,
        {**SLUG, "number": "3901", "rule_id": "ORG-01"},
        get=POST_ONLY,
        post=302,
        note="invalid decision: a message on the scorecard",
    ),
    # Respondent: the personal link is the only key.
    "responses:welcome": Page(RESPONDENT, TOKEN),
    "responses:section": Page(
        RESPONDENT,
        {**TOKEN, "section": "bakgrunn"},
        post=302,
        note="an empty save is allowed; on to the next section",
    ),
    "responses:summary": Page(RESPONDENT, TOKEN),
    "responses:submit": Page(
        RESPONDENT, TOKEN, get=POST_ONLY, post=422, note="required answers missing: 422"
    ),
    "responses:hand_on": Page(RESPONDENT, TOKEN, post=422, note="empty colleague: 422"),
}

# App defects found by the walk: (pattern, persona) -> reason. Strict, so a fix shows up.
DEFECTS: dict[tuple[str, str], str] = {}

STAFF_PERSONAS = ("anonym", "utenfor", "gruppe", "leder")
PERSONAS = {
    PUBLIC: STAFF_PERSONAS,
    STAFF: STAFF_PERSONAS,
    STAFF_READ: STAFF_PERSONAS,
    STAFF_MANAGE: STAFF_PERSONAS,
    # Staff personas get a wrong link: logging in never opens someone's answers.
    RESPONDENT: ("respondent", *STAFF_PERSONAS),
}
WRONG_TOKEN = "x" * 43  # well formed, so it reaches the lookup

# --------------------------------------------------------------------------- the walk


def walk(patterns=None, prefix: str = "", namespace: str = "", params: frozenset = frozenset()):
    """(full name or None, route, URL parameters) of every pattern below `patterns`."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        names = params | set(pattern.pattern.regex.groupindex)
        if route.startswith(("admin/", "static/")):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, inner, frozenset(names))
        elif isinstance(pattern, URLPattern):
            yield (namespace + pattern.name if pattern.name else None), route, names


WALKED = {name: (route, params) for name, route, params in walk() if name}


def test_every_url_pattern_has_an_access_decision():
    unnamed = sorted(route for name, route, _ in walk() if name is None)
    assert not unnamed, f"Name these patterns so the walk can check them: {unnamed}"
    missing = sorted(set(WALKED) - set(PAGES))
    assert not missing, f"No access decision in tests/test_url_walk.py PAGES for: {missing}"
    stale = sorted(set(PAGES) - set(WALKED))
    assert not stale, f"PAGES names patterns that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_table_fills_every_url_parameter(name):
    if name not in WALKED:
        pytest.skip("not in the URLconf (see test_every_url_pattern_has_an_access_decision)")
    assert set(PAGES[name].kwargs) == WALKED[name][1]


def cases() -> list:
    params = []
    for name in sorted(WALKED):
        access = PAGES[name].access if name in PAGES else PUBLIC
        for persona in PERSONAS[access]:
            reason = DEFECTS.get((name, persona))
            marks = [pytest.mark.xfail(strict=True, reason=f"DEFECT: {reason}")] if reason else []
            params.append(pytest.param(name, persona, id=f"{name}-{persona}", marks=marks))
    return params


# --------------------------------------------------------------------------- the world


@pytest.fixture
def world(survey, horten, invited, people) -> dict:
    """One object of each kind the URLs point at, in the test survey."""
    giver = invite(survey, horten, email="per@horten.example", name="Per Giver").respondent
    colleague = handover.hand_on(giver, name="Ola Kollega", email="ola@horten.example")
    failed = Email.objects.create(
        survey=survey,
        respondent=invited.respondent,
        kind=Email.Kind.INVITATION,
        to=invited.respondent.email,
        failed_at=timezone.now(),
        error="550 mailbox unavailable",
    )
    report = ReportFile.objects.create(
        survey=survey, format="pdf", status=ReportFile.Status.DONE, content=b"%PDF-1.4\n"
    )
    now = timezone.now()
    # A live worker, so /helse/ answers 200 as in production.
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=now - dt.timedelta(minutes=1), seen_at=now
    )
    return {
        "respondent": invited.respondent.pk,
        "token": invited.token,
        "email": failed.pk,
        "colleague": colleague.pk,
        "report": report.pk,
        "membership": Membership.objects.get(survey=survey, user=people["gruppe"]).pk,
        "version": survey.questionnaire.pk,
        "draft": drafts.new_draft(
            survey.questionnaire.definition, people["leder"], based_on=survey.questionnaire
        ).pk,
    }


def url_for(name: str, world: dict, token: str | None = None) -> str:
    kwargs = {
        key: world[value[1:]] if isinstance(value, str) and value.startswith("@") else value
        for key, value in PAGES[name].kwargs.items()
    }
    if "token" in kwargs and token is not None:
        kwargs["token"] = token
    return reverse(name, kwargs=kwargs)


# --------------------------------------------------------------------------- expectations


def expected(page: Page, persona: str, method: str) -> int | str:
    """The status `persona` must get, or "login" for a redirect to the login page."""
    entitled = page.get if method == "GET" else page.post
    if page.access == PUBLIC or persona == "respondent":
        return entitled
    if persona == "leder" and page.access != RESPONDENT:
        return entitled
    if entitled == 405:  # the method check comes before the survey or the link
        return "login" if persona == "anonym" and page.access != RESPONDENT else 405
    if page.access == RESPONDENT:
        return 404  # a wrong link, whoever is logged in
    if persona == "anonym":
        return "login"
    if page.access == STAFF:
        return entitled
    if persona == "utenfor":
        return 404  # as if the survey did not exist
    return entitled if page.access == STAFF_READ else 403


H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)


def check(page: Page, persona: str, method: str, reply, url: str) -> None:
    want = expected(page, persona, method)
    where = f"{method} {url} as {persona}"
    if want == "login":
        assert reply.status_code == 302, f"{where}: {reply.status_code}, expected login redirect"
        assert reply["Location"].startswith("/konto/logg-inn/"), where
        return
    assert reply.status_code == want, f"{where}: {reply.status_code}, expected {want}"
    if reply.status_code == 302 and page.access != PUBLIC:
        # A leader's action must do something, not bounce to the login.
        assert not reply["Location"].startswith("/konto/logg-inn/"), where
    if reply.status_code == 404 and page.access != PUBLIC:
        # Not found means not found: no survey title, no respondent behind the 404.
        body = reply.content.decode(errors="replace")
        for secret in ("Testkartlegging", "Kari Testesen", "kari@horten.example"):
            assert secret not in body, f"{where}: the 404 page shows {secret!r}"
    if page.access != PUBLIC and reply.status_code == 200:
        assert "no-store" in reply.get("Cache-Control", ""), f"{where}: may be cached"
    if reply.status_code != 200:
        return
    content_type = reply.get("Content-Type", "")
    if page.kind == DOWNLOAD:
        assert "attachment" in reply.get("Content-Disposition", ""), where
    elif page.kind in (PAGE, FRAGMENT) and content_type.startswith("text/html"):
        body = reply.content.decode()
        if page.kind == FRAGMENT:
            assert "<html" not in body, f"{where}: a fragment, but a whole page came back"
        else:
            assert "<html" in body, f"{where}: a page, but a fragment came back"
            assert len(H1.findall(body)) == 1, f"{where}: {len(H1.findall(body))} <h1> elements"


@pytest.mark.parametrize(("name", "persona"), cases())
def test_access(client, people, world, name, persona):
    if name not in PAGES:
        pytest.fail(f"{name} has no access decision in PAGES")
    page = PAGES[name]
    if persona not in ("anonym", "respondent"):
        client.force_login(people[persona])
    token = None if persona == "respondent" else WRONG_TOKEN
    url = url_for(name, world, token=token)
    for method in ("GET", "POST") if page.post is not None else ("GET",):
        reply = client.get(url) if method == "GET" else client.post(url, {**BLANK, **page.data})
        check(page, persona, method, reply, url)
