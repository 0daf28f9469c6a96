"""cache_status(): reports the Valkey settings and never raises."""

from __future__ import annotations

import socket

import pytest

from app import server
from app.server import DEFAULT_VALKEY_PORT, cache_status


def test_reachable_when_something_listens(listening_port: int) -> None:
    status = cache_status({"VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": str(listening_port)})
    assert status == {
        "host": "127.0.0.1",
        "port": listening_port,
        "configured": True,
        "reachable": True,
    }


def test_unreachable_when_refused(closed_port: int) -> None:
    status = cache_status({"VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": str(closed_port)})
    assert status["reachable"] is False
    assert status["configured"] is True
    assert status["port"] == closed_port
    assert status["error"] == "connection refused"


def test_not_configured_without_host() -> None:
    status = cache_status({})
    assert status["host"] is None
    assert status["configured"] is False
    assert status["reachable"] is False
    assert status["port"] == DEFAULT_VALKEY_PORT
    assert "VALKEY_HOST" in status["error"]


def test_blank_host_counts_as_unset() -> None:
    status = cache_status({"VALKEY_HOST": "   ", "VALKEY_PORT": "6379"})
    assert status["configured"] is False
    assert status["reachable"] is False


def test_default_port_when_only_host_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake_connect(address, timeout):  # noqa: ANN001
        seen["address"], seen["timeout"] = address, timeout
        raise ConnectionRefusedError

    monkeypatch.setattr(server.socket, "create_connection", fake_connect)
    status = cache_status({"VALKEY_HOST": "valkey.internal"})
    assert seen["address"] == ("valkey.internal", DEFAULT_VALKEY_PORT)
    assert 0 < seen["timeout"] <= 5
    assert status["port"] == DEFAULT_VALKEY_PORT
    assert status["reachable"] is False


@pytest.mark.parametrize("bad_port", ["abc", "0", "65536", "-1", "63 79", "1e3"])
def test_invalid_port_is_reported_not_raised(bad_port: str) -> None:
    status = cache_status({"VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": bad_port})
    assert status["reachable"] is False
    assert status["port"] == bad_port
    assert "VALKEY_PORT" in status["error"]


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (socket.timeout("timed out"), "timed out"),
        (socket.gaierror(-2, "Name or service not known"), "host name does not resolve"),
        (OSError(113, "No route to host"), "OSError"),
    ],
)
def test_connect_failures_are_reported(
    monkeypatch: pytest.MonkeyPatch, exc: Exception, message: str
) -> None:
    def fail(*_args, **_kwargs):  # noqa: ANN002, ANN003
        raise exc

    monkeypatch.setattr(server.socket, "create_connection", fail)
    status = cache_status({"VALKEY_HOST": "valkey.internal", "VALKEY_PORT": "6379"})
    assert status["reachable"] is False
    assert status["error"] == message


def test_host_name_that_cannot_be_encoded_does_not_crash() -> None:
    # A 64-character label fails IDNA encoding before any DNS query is sent.
    status = cache_status({"VALKEY_HOST": "a" * 64 + ".example", "VALKEY_PORT": "6379"})
    assert status["reachable"] is False
    assert status["error"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 0.5), ("0.2", 0.2), ("nope", 0.5), ("-1", 0.5), ("nan", 0.5), ("60", 5.0)],
)
def test_connect_timeout_is_short_and_bounded(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: float
) -> None:
    seen = {}

    def fake_connect(address, timeout):  # noqa: ANN001
        seen["timeout"] = timeout
        raise ConnectionRefusedError

    monkeypatch.setattr(server.socket, "create_connection", fake_connect)
    cache_status({"VALKEY_HOST": "h", "VALKEY_PORT": "6379", "VALKEY_CONNECT_TIMEOUT": raw})
    assert seen["timeout"] == pytest.approx(expected)
