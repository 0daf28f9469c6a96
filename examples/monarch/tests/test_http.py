"""The HTTP endpoints, served by the real server on a loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app import healthcheck

from .conftest import LiveServer

PROJECT_DIR = Path(__file__).resolve().parent.parent


def test_health(live_server: LiveServer) -> None:
    resp = live_server.request("/health")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.json() == {"status": "ok"}


def test_version_defaults_to_dev(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_VERSION", raising=False)
    assert live_server.request("/version").json() == {"version": "dev"}


def test_version_reads_app_version(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_VERSION", "3f1c2e9")
    assert live_server.request("/version").json() == {"version": "3f1c2e9"}


def test_cache_reports_reachable(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, listening_port: int
) -> None:
    monkeypatch.setenv("VALKEY_HOST", "127.0.0.1")
    monkeypatch.setenv("VALKEY_PORT", str(listening_port))
    resp = live_server.request("/cache")
    assert resp.status == 200
    body = resp.json()
    assert body["host"] == "127.0.0.1"
    assert body["port"] == listening_port
    assert body["reachable"] is True


def test_cache_reports_unreachable_with_200(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, closed_port: int
) -> None:
    monkeypatch.setenv("VALKEY_HOST", "127.0.0.1")
    monkeypatch.setenv("VALKEY_PORT", str(closed_port))
    resp = live_server.request("/cache")
    assert resp.status == 200
    assert resp.json()["reachable"] is False


def test_cache_with_nothing_configured(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VALKEY_HOST", raising=False)
    monkeypatch.delenv("VALKEY_PORT", raising=False)
    body = live_server.request("/cache").json()
    assert body["configured"] is False
    assert body["reachable"] is False


def test_index_lists_endpoints(live_server: LiveServer) -> None:
    body = live_server.request("/").json()
    assert body["service"] == "monarch-web"
    assert {"/health", "/version", "/cache"} <= set(body["endpoints"])


def test_query_string_and_trailing_slash(live_server: LiveServer) -> None:
    assert live_server.request("/health?probe=1").status == 200
    assert live_server.request("/health/").status == 200


def test_unknown_path_is_404(live_server: LiveServer) -> None:
    resp = live_server.request("/nope")
    assert resp.status == 404
    assert resp.json() == {"error": "not found"}


def test_head_has_no_body(live_server: LiveServer) -> None:
    resp = live_server.request("/health", method="HEAD")
    assert resp.status == 200
    assert resp.body == b""
    assert int(resp.headers["Content-Length"]) > 0


def test_post_is_405(live_server: LiveServer) -> None:
    resp = live_server.request("/health", method="POST")
    assert resp.status == 405
    assert resp.headers["Allow"] == "GET, HEAD"


def test_server_header_hides_python_version(live_server: LiveServer) -> None:
    assert "Python" not in live_server.request("/health").headers["Server"]


def test_healthcheck_module(live_server: LiveServer) -> None:
    assert healthcheck.check(live_server.base_url + "/health") is True
    assert healthcheck.check(live_server.base_url + "/nope") is False


def test_healthcheck_fails_when_nothing_listens(closed_port: int) -> None:
    assert healthcheck.check(f"http://127.0.0.1:{closed_port}/health", timeout=1) is False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_python_dash_m_app_serves_and_stops_on_sigterm() -> None:
    """What the container runs: `python -m app`, then `docker stop` (SIGTERM)."""
    port = _free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "APP_VERSION": "abc123"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/version", timeout=1) as r:
                    assert r.read().strip() == b'{"version": "abc123"}'
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        hc = subprocess.run(
            [sys.executable, "-m", "app.healthcheck"], cwd=PROJECT_DIR, env=env, timeout=10
        )
        assert hc.returncode == 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
