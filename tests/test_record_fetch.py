"""Fetching, politely, against local servers: remapping, redirects, retries, limits."""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import time

import pytest

from generator.record_check.fetch import Fetched, Fetcher, Politeness, Remap, _retry_after, run_async
from tests.record_sites import Reply, Site, html, redirect, serve

FAST = Politeness(timeout=2, backoff=0.05, max_bytes=1000)


def fetch(site: Site, path: str, politeness: Politeness = FAST, read: bool = True) -> Fetched[bytes]:
    async def go() -> Fetched[bytes]:
        remap = Remap([("https://a.test", site.url)])
        async with Fetcher("test-agent", politeness, remap) as f:
            return await f.fetch("https://a.test" + path, (lambda body, _ctype: body) if read else None)

    return run_async(go())


def test_remap_both_ways() -> None:
    remap = Remap([("https://a.test", "http://127.0.0.1:9/a"), ("https://a.test/b", "http://127.0.0.1:9/a.b")])
    assert remap.to_wire("https://a.test/x?y#z") == "http://127.0.0.1:9/a/x?y#z"
    assert remap.from_wire("http://127.0.0.1:9/a/x") == "https://a.test/x"
    assert remap.from_wire("http://127.0.0.1:9/a.b/x") == "https://a.test/b/x"  # the longest base first
    assert remap.to_wire("https://other.test/") == "https://other.test/"
    with pytest.raises(ValueError, match="ORIGIN=BASE"):
        Remap.parse("https://a.test")


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert _retry_after("7") == 7.0
    later = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 < (_retry_after(later) or 0) <= 60
    assert _retry_after("soon") is None and _retry_after(None) is None


def test_a_temporary_redirect_is_not_a_move() -> None:
    site = Site()
    site.add("/a", redirect(302, "/b"))
    site.add("/b", redirect(301, "/c"))  # a permanent move after a temporary one: the address itself did not move
    site.add("/c", html("<p>here</p>"))
    with serve(site):
        got = fetch(site, "/a")
    assert (got.status, got.final_url, got.moved_to, got.content) == (200, "https://a.test/c", None, b"<p>here</p>")


def test_a_server_error_is_tried_again_then_given_up() -> None:
    site = Site()
    site.add("/flaky", lambda n, _p: Reply(503) if n < 2 else html("ok"))
    site.add("/down", Reply(500))
    with serve(site):
        assert fetch(site, "/flaky").content == b"ok"
        down = fetch(site, "/down")
    assert site.hits["/flaky"] == 3 and site.hits["/down"] == 3
    assert (down.status, down.error) == (500, "it answers 500 Internal Server Error")


def test_a_retry_after_beyond_the_longest_wait_is_not_waited_for() -> None:
    site = Site()
    site.add("/later", Reply(429, b"", {"Retry-After": "3600"}))
    with serve(site):
        got = fetch(site, "/later")
    assert site.hits["/later"] == 1
    assert got.error == "it answers 429 Too Many Requests, and asks to wait 3600 s before trying again"


def test_a_body_declared_too_large_is_not_read() -> None:
    site = Site()
    site.add("/big", Reply(200, b"x" * 2000))
    with serve(site):
        got = fetch(site, "/big")
    assert got.content is None
    assert got.error == "the page is larger than the 0.000953674 MB this check reads"


def test_no_body_is_read_for_an_address_without_passages() -> None:
    site = Site()
    site.add("/big", Reply(200, b"x" * 2000))
    with serve(site):
        got = fetch(site, "/big", read=False)
    assert (got.status, got.content, got.error) == (200, None, None)


def test_at_most_two_requests_in_flight_per_host() -> None:
    def slow(_n: int, _path: str) -> Reply:
        time.sleep(0.1)  # long enough for the others to be sent meanwhile, if they were
        return Reply(200, b"ok")

    sites = [Site(), Site()]
    for s in sites:
        for n in range(8):
            s.add(f"/{n}", slow)

    async def go() -> None:
        remap = Remap([("https://a.test", sites[0].url), ("https://b.test", sites[1].url)])
        async with Fetcher("test-agent", FAST, remap) as f:
            await asyncio.gather(*(f.fetch(f"https://{h}.test/{n}") for h in "ab" for n in range(8)))

    with serve(sites[0]), serve(sites[1]):
        run_async(go())
    assert [s.most_in_flight for s in sites] == [2, 2]


def test_each_address_is_asked_for_once() -> None:
    site = Site()
    site.add("/page", html("ok"))
    site.add("/old", redirect(301, "/page"))

    async def go() -> list[Fetched[bytes]]:
        async with Fetcher("test-agent", FAST, Remap([("https://a.test", site.url)])) as f:
            read = lambda body, _c: body  # noqa: E731
            return list(await asyncio.gather(*(f.fetch(f"https://a.test{p}", read) for p in ["/page", "/old"] * 3)))

    with serve(site):
        results = run_async(go())
    assert {r.content for r in results} == {b"ok"}
    assert dict(site.hits) == {"/page": 1, "/old": 1}


def test_the_check_runs_where_an_event_loop_already_runs() -> None:
    """As under Playwright's synchronous API, which the browser tests keep running."""

    async def outer() -> int:
        return run_async(asyncio.sleep(0, result=7))

    # In a thread of its own: the test session's own thread may hold Playwright's loop already.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(lambda: asyncio.run(outer())).result() == 7
