"""Archived copies from the Internet Archive's Wayback Machine.

`newest` asks the availability API (archive.org/wayback/available) for the newest capture
of an address; `capture` asks the Save Page Now endpoint (web.archive.org/save/) to make one.
Both go through the run's Fetcher (its politeness, its --map). The archive is a help, never
a verdict: its failures are raised as ArchiveError for the run to report, and never change
a passage's result.
"""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import quote

from generator.record_check.fetch import Fetcher
from generator.record_check.results import Snapshot

AVAILABLE = "https://archive.org/wayback/available"
SAVE = "https://web.archive.org/save/"
# A capture's address: its 14-digit timestamp, then the address captured.
_SNAPSHOT = re.compile(r"^https?://web\.archive\.org/web/(\d{14})/(.+)$")
MAX_ANSWER = 1024 * 1024


class ArchiveError(Exception):
    """The archive could not be asked, or answered what this module does not understand."""


def snapshot_of(address: str) -> Snapshot | None:
    """A capture's address as a Snapshot (https, dated by its timestamp); None if it is not one."""
    m = _SNAPSHOT.match(address)
    if m is None:
        return None
    stamp = m[1]
    try:
        day = date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
    except ValueError:
        return None
    # The API answers http:// addresses; the archive serves (and redirects to) https.
    return Snapshot("https://web.archive.org/web/" + stamp + "/" + m[2], day)


async def newest(fetcher: Fetcher, url: str) -> Snapshot | None:
    """The newest capture of `url` that answered 200, or None."""
    # The API finds nothing for an address ending in '/' that it has under the same address
    # without it: ask without it when asking with it finds nothing.
    found = await _available(fetcher, url)
    if found is None and url.endswith("/") and url.count("/") > 3:
        found = await _available(fetcher, url.rstrip("/"))
    return found


async def _available(fetcher: Fetcher, url: str) -> Snapshot | None:
    wire = fetcher.remap.to_wire(f"{AVAILABLE}?url={quote(url, safe='')}")
    hop, body, _ = await fetcher.request(wire, read_body=True)
    if hop.error or hop.status != 200 or body is None:
        raise ArchiveError(hop.error or f"the availability API answers {hop.status}")
    try:
        closest = json.loads(body)["archived_snapshots"].get("closest")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ArchiveError("the availability API answers something other than its JSON") from None
    if not closest or not closest.get("available") or str(closest.get("status")) != "200":
        return None
    found = snapshot_of(str(closest.get("url", "")))
    if found is None:
        raise ArchiveError(f"the availability API answers an address that is not a capture: {closest.get('url')!r}")
    return found


async def capture(fetcher: Fetcher, url: str) -> Snapshot | None:
    """Ask for a capture of `url`; the capture made, when the answer says where it is."""
    hop, _, _ = await fetcher.request(fetcher.remap.to_wire(SAVE + url), read_body=False)
    if hop.error or hop.status is None or hop.status >= 400:
        raise ArchiveError(hop.error or f"Save Page Now answers {hop.status}")
    where = fetcher.remap.from_wire(hop.location) if hop.location else None
    return snapshot_of(where) if where else None
