"""Guard rails: migrations in step with models, strict settings, deployment checks,
and no respondent tokens in logs."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from kartlegging.core.checks import check_deployment
from kartlegging.core.logging import RedactRespondentTokens
from kartlegging.env import env_bool, env_choice, env_int, env_list


@pytest.mark.django_db
def test_no_missing_migrations():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit:
        pytest.fail("Models have changes without a migration: run `kartlegging makemigrations`.")


# --------------------------------------------------------------------------- env helpers


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("ja", True),
        ("true", True),
        (" On ", True),
        ("1", True),
        ("nei", False),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_env_bool_reads_yes_and_no(monkeypatch, raw, value):
    monkeypatch.setenv("X", raw)
    assert env_bool("X", not value) is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X", "kanskje")
    with pytest.raises(ImproperlyConfigured, match="^X must be true or false, got 'kanskje'$"):
        env_bool("X", False)


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("X", raising=False)
    assert env_bool("X", True) is True


def test_env_int_reads_and_checks_range(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "587")
    assert env_int("EMAIL_PORT", 25, minimum=1, maximum=65535) == 587
    monkeypatch.setenv("EMAIL_PORT", "70000")
    with pytest.raises(ImproperlyConfigured, match="^EMAIL_PORT must be at most 65535, got 70000$"):
        env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)


@pytest.mark.parametrize("raw", ["25.5", "tjuefem", "0x19"])
def test_env_int_refuses_non_integers(monkeypatch, raw):
    monkeypatch.setenv("EMAIL_PORT", raw)
    with pytest.raises(ImproperlyConfigured, match="^EMAIL_PORT must be an integer"):
        env_int("EMAIL_PORT", 25)


def test_env_int_default_when_empty(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", " ")
    assert env_int("EMAIL_PORT", 25, minimum=1) == 25


def test_env_choice_and_list(monkeypatch):
    monkeypatch.setenv("KARTLEGGING_MODE", "prod")
    with pytest.raises(ImproperlyConfigured, match="must be one of production, demo, test"):
        env_choice("KARTLEGGING_MODE", "production", ("production", "demo", "test"))
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example.no, ,b.example.no ")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example.no", "b.example.no"]


# --------------------------------------------------------------------------- system checks


def check_ids() -> set[str]:
    return {problem.id for problem in check_deployment(None)}


def test_test_settings_pass_the_checks():
    assert check_ids() == set()


@override_settings(MODE="production", DEBUG=True, SITE_URL="https://kartlegging.example.no")
def test_debug_in_production_is_warned():
    assert check_ids() == {"kartlegging.W001"}


@override_settings(MODE="production", ALLOWED_HOSTS=[], SITE_URL="http://kartlegging.example.no")
def test_production_without_hosts_or_https():
    assert check_ids() == {"kartlegging.E001", "kartlegging.W002"}


@override_settings(EMAIL_USE_TLS=True, EMAIL_USE_SSL=True, SECRET_KEY="kort")
def test_email_tls_and_ssl_together_and_short_secret_key():
    assert check_ids() == {"kartlegging.E002", "kartlegging.E003"}


def test_check_is_registered_with_django():
    from django.core.checks import registry

    assert check_deployment in registry.registry.get_checks()


# --------------------------------------------------------------------------- logs


def record(msg: str, *args) -> logging.LogRecord:
    return logging.LogRecord("django.server", logging.INFO, __file__, 1, msg, args, None)


def test_token_in_a_request_line_is_redacted():
    entry = record('"%s" %s %s', "GET /s/abcDEF123/del/x/ HTTP/1.1", 200, 512)
    assert RedactRespondentTokens().filter(entry) is True
    assert entry.getMessage() == '"GET /s/[skjult]/del/x/ HTTP/1.1" 200 512'


def test_plain_message_with_token_is_redacted():
    entry = record("GET /s/abcDEF123/del/x/ 200")
    RedactRespondentTokens().filter(entry)
    assert "abcDEF123" not in entry.getMessage()
    assert entry.getMessage() == "GET /s/[skjult]/del/x/ 200"


def test_other_messages_are_left_alone():
    entry = record("GET %s %s", "/static/kartlegging/app.css", 200)
    RedactRespondentTokens().filter(entry)
    assert (entry.msg, entry.args) == ("GET %s %s", ("/static/kartlegging/app.css", 200))


def test_request_loggers_go_through_the_redacting_filter():
    for name in ("django.server", "django.request"):
        # (pytest adds its own capturing handlers; ours is the console handler.)
        handlers = logging.getLogger(name).handlers
        assert any(isinstance(f, RedactRespondentTokens) for h in handlers for f in h.filters), name
        assert logging.getLogger(name).propagate is False, name


def test_email_url_gives_smtp_settings(monkeypatch):
    from kartlegging.env import env_email_url

    monkeypatch.setenv("EMAIL_URL", "smtp://usht%40vestfold.no:hemmelig@smtp.example.no:587?tls=1")
    assert env_email_url("EMAIL_URL") == {
        "EMAIL_HOST": "smtp.example.no",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "usht@vestfold.no",
        "EMAIL_HOST_PASSWORD": "hemmelig",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_bad_email_url_is_refused(monkeypatch):
    from kartlegging.env import env_email_url

    monkeypatch.setenv("EMAIL_URL", "http://example.no")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must look like smtp://"):
        env_email_url("EMAIL_URL")
