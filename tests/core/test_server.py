"""The production server's access log: respondent tokens never reach it."""

import datetime as dt
import logging
from types import SimpleNamespace

from gunicorn.config import Config

from kartlegging.core.server import ACCESS_LOG_FORMAT, RedactingLogger, server_options


def access_line(path: str, referer: str) -> str:
    cfg = Config()
    for key, value in server_options("127.0.0.1:0", 1, 30).items():
        cfg.set(key, value)
    logger = RedactingLogger(cfg)
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.access_log.handlers = [handler]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "test",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    return records[0]


def test_token_is_hidden_in_path_and_referer():
    line = access_line("/s/Abc123SecretToken/del/2/", "https://k.example.no/s/Abc123SecretToken/")
    assert "Abc123SecretToken" not in line
    assert '"GET /s/[skjult]/del/2/ HTTP/1.1" 200 10 "https://k.example.no/s/[skjult]/"' in line


def test_other_paths_are_logged_as_they_are():
    line = access_line("/static/app.1234.css", "-")
    assert '"GET /static/app.1234.css HTTP/1.1" 200' in line
    assert line.endswith("12ms")


def test_format_is_combined_plus_time():
    assert ACCESS_LOG_FORMAT.startswith('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s"')
