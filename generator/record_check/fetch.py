"""Fetching, politely: the only module of the record check that opens connections.

One httpx client for the run; every address is asked for once (redirect hops too); at most
`per_host` requests are in flight to a host and `in_flight` in all; `Retry-After` is
honoured, waiting before any further request to that host; each exchange has a deadline,
and a body is streamed and abandoned past `max_bytes`. Redirects are followed here, one hop
at a time, so a permanent move can be told from a temporary one and a loop is caught.

`Remap` sends requests for one origin to another (a local copy, a test server), as lychee's
`--remap` does; every address reported is in the original's terms.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

import httpx

T = TypeVar("T")
Retry = float | Literal["backoff"] | None
"""When to try an address again: after a server's Retry-After (seconds), after the usual
back-off, or never (another try would not help)."""

PERMANENT = frozenset({301, 308})
TEMPORARY = frozenset({302, 303, 307})
RETRIED = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Politeness:
    """How hard the check may press on other people's servers, and how long it waits."""

    timeout: float = 30.0
    """Seconds for one exchange, from connecting to the last byte."""
    max_bytes: int = 20 * 1024 * 1024
    """Of a body, decompressed: a page or a paper's PDF is far smaller."""
    per_host: int = 2
    in_flight: int = 16
    attempts: int = 3
    """Tries of one address when the server is busy (429, 5xx) or the connection fails; a
    timeout is not tried again."""
    backoff: float = 2.0
    """Seconds before the second try, doubling; a server's Retry-After replaces it."""
    longest_wait: float = 120.0
    """A Retry-After longer than this is not waited for: the address is unreachable this run."""
    max_redirects: int = 10
    cached_pages: int = 64
    """Read pages kept for redirects that end on them; everything else is kept as a status."""


class Remap:
    """ORIGIN=BASE pairs: a request for an address starting with ORIGIN goes to BASE + the rest."""

    def __init__(self, pairs: list[tuple[str, str]] | None = None) -> None:
        self.pairs = list(pairs or [])

    @staticmethod
    def parse(spec: str) -> tuple[str, str]:
        origin, sep, base = spec.partition("=")
        for value in (origin, base):
            if not sep or urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
                raise ValueError(f"--map takes ORIGIN=BASE, two http(s) addresses, not {spec!r}")
        return origin, base

    def to_wire(self, url: str) -> str:
        for origin, base in self.pairs:
            if url.startswith(origin):
                return base + url[len(origin) :]
        return url

    def from_wire(self, url: str) -> str:
        # The longest base first: http://h/a.b and http://h/a may both be bases.
        for origin, base in sorted(self.pairs, key=lambda p: -len(p[1])):
            if url.startswith(base):
                return origin + url[len(base) :]
        return url


@dataclass(frozen=True, slots=True)
class Hop:
    """One request's answer. `content` is what `read` made of a 2xx body."""

    status: int | None
    location: str | None = None
    content_type: str | None = None
    error: str | None = None
    """Why there is no answer: a timeout, a refused connection, a body too large…"""


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """An address after its redirects, in the original's terms."""

    url: str
    status: int | None
    """The last answer's; None when none came."""
    final_url: str
    moved_to: str | None
    """Where the leading permanent redirects (301, 308) lead, if any."""
    content: T | None
    error: str | None


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, also where the calling thread already runs an event loop (Playwright's
    synchronous API does, in the tests): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _Host:
    def __init__(self, per_host: int) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.resume_at = 0.0


class Fetcher:
    """`async with Fetcher(...) as f: await f.fetch(url, read)`."""

    def __init__(
        self,
        user_agent: str,
        politeness: Politeness | None = None,
        remap: Remap | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.politeness = politeness or Politeness()
        self.remap = remap or Remap()
        self.user_agent = user_agent
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._hosts: dict[str, _Host] = {}
        self._slots = asyncio.Semaphore(self.politeness.in_flight)
        self._hops: dict[tuple[str, bool], asyncio.Task[tuple[Hop, object]]] = {}
        self._read_pages: OrderedDict[tuple[str, bool], None] = OrderedDict()
        self.requests = 0
        """Requests sent, retries included."""

    async def __aenter__(self) -> Fetcher:
        p = self.politeness
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.user_agent},
            timeout=httpx.Timeout(p.timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=p.in_flight, max_keepalive_connections=p.in_flight),
            transport=self._transport,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def fetch(self, url: str, read: Callable[[bytes, str | None], T] | None = None) -> Fetched[T]:
        """Follow `url`'s redirects; `read` turns the final 2xx body into content (no body is
        read without it). `read` runs in a worker thread: parsing does not stall the others."""
        logical = without_fragment(url)
        seen = {logical}
        moved_to: str | None = None
        leading_permanent = True
        for _ in range(self.politeness.max_redirects + 1):
            hop, content = await self._hop(self.remap.to_wire(logical), read)
            if hop.status in PERMANENT or hop.status in TEMPORARY:
                if hop.location is None:
                    return Fetched(url, hop.status, logical, moved_to, None, "a redirect without a Location")
                target = self.remap.from_wire(hop.location)
                if hop.status in PERMANENT and leading_permanent:
                    moved_to = target
                else:
                    leading_permanent = False
                if target in seen:
                    return Fetched(url, hop.status, target, moved_to, None, "its redirects go round in a loop")
                seen.add(target)
                logical = target
                continue
            return Fetched(url, hop.status, logical, moved_to, content, hop.error)  # type: ignore[arg-type]
        return Fetched(url, None, logical, moved_to, None, f"more than {self.politeness.max_redirects} redirects")

    async def _hop(self, wire: str, read: Callable[[bytes, str | None], T] | None) -> tuple[Hop, object]:
        key = (wire, read is not None)
        task = self._hops.get(key)
        if task is None:
            task = asyncio.ensure_future(self._answer(wire, read))
            self._hops[key] = task
        hop, content = await task
        if content is not None and key not in self._read_pages:
            # A read page is kept only for a while (redirects that end on it); statuses for ever.
            self._read_pages[key] = None
            while len(self._read_pages) > self.politeness.cached_pages:
                old, _ = self._read_pages.popitem(last=False)
                self._hops.pop(old, None)
        return hop, content

    async def _answer(self, wire: str, read: Callable[[bytes, str | None], T] | None) -> tuple[Hop, object]:
        p = self.politeness
        hop = Hop(None, error="not tried")
        body: bytes | None = None
        for attempt in range(p.attempts):
            hop, body, retry = await self.request(wire, read_body=read is not None)
            if retry is None or attempt == p.attempts - 1:
                break
            if retry == "backoff":
                await asyncio.sleep(p.backoff * 2**attempt)
            elif retry > p.longest_wait:
                hop = Hop(hop.status, error=f"{hop.error}, and asks to wait {retry:.0f} s before trying again")
                break
            # else the host's resume_at holds every request to it, this one's too, until then.
        if body is None or read is None:
            return hop, None
        try:
            return hop, await asyncio.to_thread(read, body, hop.content_type)
        except Exception as e:  # what `read` refuses is said in words, e.g. page.Unreadable
            return Hop(hop.status, content_type=hop.content_type, error=str(e) or type(e).__name__), None

    async def request(self, wire: str, *, read_body: bool) -> tuple[Hop, bytes | None, Retry]:
        """One polite GET: (answer, body of a 2xx when asked for, when to try again)."""
        assert self._client is not None, "use Fetcher in `async with`"
        p = self.politeness
        try:
            host_key = httpx.URL(wire).netloc.decode("ascii")
        except (httpx.InvalidURL, UnicodeDecodeError) as e:
            return Hop(None, error=f"not an address that can be fetched ({e})"), None, None
        host = self._hosts.setdefault(host_key, _Host(p.per_host))
        # The host's slot first, then the run's: a request waiting on a busy host (or on its
        # Retry-After) does not hold up requests to other hosts.
        async with host.slots:
            while (pause := host.resume_at - time.monotonic()) > 0:
                await asyncio.sleep(pause)
            async with self._slots:
                return await self._timed(wire, host, read_body)

    async def _timed(self, wire: str, host: _Host, read_body: bool) -> tuple[Hop, bytes | None, Retry]:
        p = self.politeness
        self.requests += 1
        try:
            async with asyncio.timeout(p.timeout):
                return await self._exchange(wire, host, read_body)
        # A server that stalled once mostly stalls again: not tried again, which would
        # triple what one stalled page costs the run.
        except (TimeoutError, httpx.TimeoutException):
            return Hop(None, error=f"no answer within {p.timeout:g} s"), None, None
        except httpx.HTTPError as e:
            return Hop(None, error=_network_error(e)), None, "backoff"

    async def _exchange(self, wire: str, host: _Host, read_body: bool) -> tuple[Hop, bytes | None, Retry]:
        assert self._client is not None
        p = self.politeness
        async with self._client.stream("GET", wire) as response:
            status, headers = response.status_code, response.headers
            ctype = headers.get("content-type")
            if status in PERMANENT or status in TEMPORARY:
                location = headers.get("location")
                if location is not None:
                    try:
                        location = str(response.url.join(location))
                    except httpx.InvalidURL:
                        return Hop(status, error=f"a redirect to {location!r}, which is not an address"), None, None
                return Hop(status, location, ctype), None, None
            if status in RETRIED:
                given = _retry_after(headers.get("retry-after"))
                if given is not None:
                    host.resume_at = max(host.resume_at, time.monotonic() + min(given, p.longest_wait))
                return Hop(status, None, ctype, error=_status_text(status)), None, "backoff" if given is None else given
            if not 200 <= status < 300 or not read_body:
                return Hop(status, None, ctype), None, None
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > p.max_bytes:
                return Hop(status, None, ctype, error=_too_large(p.max_bytes)), None, None
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > p.max_bytes:
                    return Hop(status, None, ctype, error=_too_large(p.max_bytes)), None, None
                chunks.append(chunk)
            return Hop(status, None, ctype), b"".join(chunks), None


def _too_large(limit: int) -> str:
    return f"the page is larger than the {limit / 1024 / 1024:g} MB this check reads"


def _status_text(status: int) -> str:
    try:
        from http import HTTPStatus

        return f"it answers {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"it answers {status}"


def _network_error(e: httpx.HTTPError) -> str:
    text = str(e) or type(e).__name__
    if isinstance(e, httpx.ConnectError):
        return f"could not connect ({text})"
    if isinstance(e, httpx.RemoteProtocolError):
        return f"the server broke off the answer ({text})"
    return f"{type(e).__name__}: {text}"
