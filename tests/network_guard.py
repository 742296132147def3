"""No test touches the real network: a pytest plugin that refuses, and fails the test for,
any connection or name lookup beyond this machine (127.0.0.0/8, ::1, localhost).

The refusal alone is not enough: code that fetches turns errors into results ("unreachable"),
so a test could pass on a refused connection. Each attempt is also recorded, and the test
that made it fails at teardown.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from typing import Any

import pytest

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
attempts: list[str] = []
"""Addresses asked for beyond this machine since the current test began."""


def is_local(host: object) -> bool:
    if host is None:  # getaddrinfo(None, port): this machine's own addresses
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.strip("[]").lower()
    return host in _LOCAL_NAMES or host.startswith("127.") or host in ("::1", "0:0:0:0:0:0:0:1")


def _refuse(what: str) -> OSError:
    attempts.append(what)
    return OSError(errno.ENETUNREACH, f"tests may not use the network: {what}")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
        raise _refuse(f"connect to {address!r}")
    _connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
        _refuse(f"connect to {address!r}")
        return errno.ENETUNREACH
    return _connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not is_local(host):
        attempts.append(f"look up {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, f"tests may not use the network: look up {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = _guarded_getaddrinfo


@pytest.fixture(autouse=True)
def no_network() -> Iterator[None]:
    attempts.clear()
    yield
    tried, attempts[:] = list(attempts), []
    if tried:
        pytest.fail(f"the test tried to use the network: {'; '.join(tried)}")
