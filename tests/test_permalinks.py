"""Links never break: every address ever published still leads to its quote.

`tests/permalinks.txt` lists every published quote address. A quote added to the
corpus must be added to the list (`pytest tests/test_permalinks.py --update-golden`
appends it); a line removed from the list shows up in review as a deliberate act.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator import pipeline
from generator.model import Collection
from tests.conftest import ROOT

PERMALINKS = Path(__file__).parent / "permalinks.txt"


def current_addresses(collection: Collection) -> list[str]:
    addresses = []
    for quote in collection.quotes():
        addresses.append(f"/quotes/{quote.id}/")
        addresses.append(f"/parts/{quote.part_id}/#{quote.id}")
    return addresses


def published() -> list[str]:
    return [ln for ln in PERMALINKS.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]


def test_every_current_address_is_listed(update_golden: bool) -> None:
    collection, _ = pipeline.check(ROOT)
    missing = [a for a in current_addresses(collection) if a not in published()]
    if update_golden and missing:
        with PERMALINKS.open("a", encoding="utf-8") as f:
            f.writelines(f"{a}\n" for a in missing)
        missing = []
    assert not missing, f"new addresses; add them with --update-golden: {missing[:5]}"


def test_every_listed_address_resolves_to_its_quote_in_the_built_site(built_site: Path) -> None:
    collection, _ = pipeline.check(ROOT)
    site = pipeline.site_of(ROOT)
    names = {q.id: q for q in collection.quotes()} | {a: q for q in collection.quotes() for a in q.aliases}
    for address in published():
        if m := re.fullmatch(r"/quotes/([a-z0-9-]+)/", address):
            quote = names.get(m[1])
            assert quote is not None, f"{address}: no quote has this id or alias any more"
            page = (built_site / "quotes" / m[1] / "index.html").read_text("utf-8")
            if m[1] == quote.id:
                assert '<p class="nn-text">' in page, address
                assert f'"url":"{site.quote_url(quote.id)}"' in page, address
            else:  # an alias page redirects to the quote's page
                assert f'url=../{quote.id}/"' in page, address
        elif m := re.fullmatch(r"/parts/([a-z0-9-]+)/#([a-z0-9-]+)", address):
            part_id, name = m[1], m[2]
            quote = names.get(name)
            assert quote is not None, f"{address}: no quote has this id or alias any more"
            part_page = built_site / "parts" / part_id / "index.html"
            if quote.part_id == part_id:
                assert f'id="{name}"' in part_page.read_text("utf-8"), address
            else:
                # Moved to another part: the part page's script sends the reader to the
                # quote's own page (checked in a browser by test_browser.py). The quote page must exist.
                assert (built_site / "quotes" / quote.id / "index.html").is_file(), address
        else:
            raise AssertionError(f"{address}: not a quote address")
