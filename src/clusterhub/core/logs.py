"""Logs as one JSON object a line (LOG_FORMAT=json): each request with its id, its user's
id (never an email), the view, the status and the time taken; errors with their
traceback, in the log and never in the page. The standard library's logging: a
formatter and a middleware, no framework of their own (docs/operations.md)."""

import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

REQUESTS = logging.getLogger("clusterhub.requests")
# A request id a proxy sends (X-Request-ID) is kept when it looks like one.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
FIELDS = ("request_id", "method", "path", "view", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line |= {name: getattr(record, name) for name in FIELDS if hasattr(record, name)}
        if record.exc_info:
            line["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestLog:
    """Middleware: an id for every request (the proxy's X-Request-ID, else a new one),
    returned in the response's header and put on the request's log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        REQUESTS.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={
                "request_id": request.id, "method": request.method, "path": request.path,
                "view": match.view_name if match else None, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )  # fmt: skip
        return response


def logging_config(log_format: str, level: str) -> dict:
    """settings.LOGGING: plain text by default, JSON lines with LOG_FORMAT=json, which
    also logs every request (at INFO)."""
    json_lines = log_format == "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}} if json_lines else {},
        "handlers": {
            "console": {"class": "logging.StreamHandler"}
            | ({"formatter": "json"} if json_lines else {})
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"clusterhub.requests": {"level": "INFO" if json_lines else "WARNING"}},
    }
