"""HTTP endpoints of the monarch web service.

Standard library only (http.server), so the image needs no third-party package and the
tests run anywhere python3 and pytest are installed.

Endpoints (GET and HEAD):
  /         name of the service and the list of endpoints
  /health   {"status": "ok"}: the container and compose health checks poll this
  /version  {"version": APP_VERSION or "dev"}
  /cache    where VALKEY_HOST/VALKEY_PORT point, and whether a TCP connect succeeds
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SERVICE_NAME = "monarch-web"
DEFAULT_VALKEY_PORT = 6379
DEFAULT_CACHE_TIMEOUT = 0.5  # seconds; /cache must answer fast even when the cache is down
MAX_CACHE_TIMEOUT = 5.0


def app_version(env: Mapping[str, str] | None = None) -> str:
    """The deployed version: APP_VERSION (the compose file sets it to the image tag), or "dev"."""
    env = os.environ if env is None else env
    return env.get("APP_VERSION", "").strip() or "dev"


def _cache_timeout(env: Mapping[str, str]) -> float:
    raw = env.get("VALKEY_CONNECT_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_CACHE_TIMEOUT
    except ValueError:
        return DEFAULT_CACHE_TIMEOUT
    if not value > 0:  # also rejects NaN
        return DEFAULT_CACHE_TIMEOUT
    return min(value, MAX_CACHE_TIMEOUT)


def cache_status(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Report the Valkey settings and try one TCP connect with a short timeout.

    Never raises: a missing host, a bad port, a name that does not resolve or a refused
    connection all come back as ``reachable: false`` with a short ``error``.
    """
    env = os.environ if env is None else env
    host = env.get("VALKEY_HOST", "").strip()
    raw_port = env.get("VALKEY_PORT", "").strip()
    result: dict[str, Any] = {
        "host": host or None,
        "port": None,
        "configured": bool(host),
        "reachable": False,
    }

    port: int | None
    try:
        port = int(raw_port) if raw_port else DEFAULT_VALKEY_PORT
    except ValueError:
        port = None
    if port is None or not 0 < port < 65536:
        result["port"] = raw_port
        result["error"] = "VALKEY_PORT is not a valid TCP port"
        return result
    result["port"] = port

    if not host:
        result["error"] = "VALKEY_HOST is not set"
        return result

    try:
        with socket.create_connection((host, port), timeout=_cache_timeout(env)):
            result["reachable"] = True
    except socket.timeout:
        result["error"] = "timed out"
    except socket.gaierror:
        result["error"] = "host name does not resolve"
    except ConnectionRefusedError:
        result["error"] = "connection refused"
    except (OSError, UnicodeError, ValueError) as exc:
        # UnicodeError: a host name IDNA cannot encode; ValueError: e.g. an embedded NUL.
        result["error"] = type(exc).__name__
    return result


def index_payload() -> dict[str, Any]:
    return {"service": SERVICE_NAME, "endpoints": sorted(ROUTES)}


ROUTES = {
    "/": lambda: index_payload(),
    "/health": lambda: {"status": "ok"},
    "/version": lambda: {"version": app_version()},
    "/cache": lambda: cache_status(),
}


class Handler(BaseHTTPRequestHandler):
    server_version = SERVICE_NAME
    sys_version = ""  # do not advertise the Python version in the Server header

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._dispatch(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch(send_body=False)

    def _not_allowed(self) -> None:
        self._send_json(
            HTTPStatus.METHOD_NOT_ALLOWED,
            {"error": "method not allowed"},
            send_body=True,
            extra_headers={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_PATCH = do_DELETE = _not_allowed  # noqa: N815

    def _dispatch(self, send_body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if len(path) > 1:
            path = path.rstrip("/")
        route = ROUTES.get(path)
        if route is None:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"}, send_body)
            return
        try:
            payload = route()
        except Exception:  # a handler bug must give a 500, not a dropped connection
            self.log_error("unhandled error on %s", path)
            self._send_json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal"}, send_body)
            return
        self._send_json(HTTPStatus.OK, payload, send_body)

    def _send_json(
        self,
        status: HTTPStatus,
        payload: Mapping[str, Any],
        send_body: bool,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        body = json.dumps(payload, sort_keys=True).encode("utf-8") + b"\n"
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # The health check hits /health every few seconds: keep it out of the logs.
        if self.path == "/health" and not os.environ.get("LOG_HEALTH_CHECKS"):
            return
        super().log_message(format, *args)


def make_server(host: str = "0.0.0.0", port: int = 8000) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
