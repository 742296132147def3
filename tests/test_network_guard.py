"""The guard of tests/network_guard.py: it refuses, and records, what leaves this machine."""

from __future__ import annotations

import socket

import pytest

from tests import network_guard


def test_a_connection_beyond_this_machine_is_refused_and_recorded() -> None:
    with socket.socket() as s, pytest.raises(OSError, match="tests may not use the network"):
        s.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed
    assert network_guard.attempts == ["connect to ('192.0.2.1', 80)"]
    network_guard.attempts.clear()  # recorded: this test made it on purpose


def test_a_name_lookup_is_refused_and_recorded() -> None:
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.org", 443)
    assert network_guard.attempts == ["look up 'example.org'"]
    network_guard.attempts.clear()


def test_this_machine_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    assert socket.getaddrinfo("localhost", 80)
    assert network_guard.attempts == []


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost", b"localhost", None])
def test_local_hosts(host: object) -> None:
    assert network_guard.is_local(host)


@pytest.mark.parametrize("host", ["10.0.0.1", "example.org", "archive.org", "::2", "0.0.0.0"])
def test_remote_hosts(host: object) -> None:
    assert not network_guard.is_local(host)
