"""A Content-Security-Policy on every page: only the site's own scripts run.

Every field of the corpus is escaped where it is printed; the policy is what still holds if
an escape were ever missed. GitHub Pages sets no headers, so the policy is a
`<meta http-equiv="Content-Security-Policy">`, the first element of the page's `<head>`: a
browser applies it only to what follows it.

Scripts run from the site's own files, and an inline script only when the policy names the
SHA-256 of its exact text: Material writes three into every page (its scope and local
storage, the palette, the tabs' state), with the page's depth in them. So the policy is
computed from the page's final HTML, after every other step has changed it, but from the
part of it the site wrote, never from the corpus's part (a page's Markdown content, the
slots of a quote, source or tag page): a script that slipped in there is not allowed. A
script written into a page by anything else, an `on…=` attribute, a `javascript:` link:
none of them runs. A `<script type="application/ld+json">` (a quote's
structured data) or `application/json` (Material's configuration) is a data block, which
the browser never runs and the policy does not govern (HTML's "prepare the script element"
stops before the CSP check for a type that is not JavaScript), so it needs no hash.

`mkdocs serve` pages get no policy: MkDocs' live reload appends an inline script to every
page it serves, whose text changes with each request, so no hash could allow it. The
browser tests check the built site, which is what is published.
"""

from __future__ import annotations

import base64
import hashlib
import re

DIRECTIVES: dict[str, str] = {
    # Anything not named below: this site's own files, nothing from another host.
    "default-src": "'self'",
    # The site's scripts (Material's bundle, site.js, the search hold) and, by hash, the
    # inline scripts of the page itself; never 'unsafe-inline', 'unsafe-eval' or another host.
    "script-src": "'self'",
    # Material's and the site's stylesheets; no style element or attribute in a page.
    "style-src": "'self'",
    # Material's icons are SVG data: URLs in its stylesheet (the search, the admonitions).
    "img-src": "'self' data:",
    # No web fonts (mkdocs.yml: font: false), so none is allowed.
    "font-src": "'none'",
    # The search index, quote-ids.json (the 404 page), quotes.json ("Another quote"), and a
    # quote page's record fetched into a long source or tag page.
    "connect-src": "'self'",
    # Material's search runs in a worker, from its own file.
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    # Material's search form is never submitted; the drawer's toggles have an empty form.
    "form-action": "'self'",
}

# What the browser reads as a comment, a script or a style element, in the order it meets them:
# a "<script" inside a comment is not a script.
_ELEMENT = re.compile(
    r"<!--.*?-->|<(?P<tag>script|style)\b(?P<attrs>[^>]*)>(?P<body>.*?)</(?P=tag)[\s/>]",
    re.DOTALL | re.IGNORECASE,
)
_ATTR = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
# HTML's JavaScript MIME type essences, and the types that also run: a module, an import map.
_RUNS = frozenset(
    ["", "module", "importmap"]
    + [f"application/{t}" for t in ("ecmascript", "javascript", "x-ecmascript", "x-javascript")]
    + [f"text/{t}" for t in ("ecmascript", "javascript", "jscript", "livescript", "x-ecmascript", "x-javascript")]
    + [f"text/javascript1.{n}" for n in range(6)]
)


class PolicyError(Exception):
    """A page the policy cannot be computed for exactly."""


def _attributes(attrs: str) -> dict[str, str]:
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(attrs)}


def _runs(attrs: dict[str, str]) -> bool:
    """Whether a script element with these attributes is run by the browser, as HTML decides."""
    if "src" in attrs:
        return False  # not inline: script-src 'self' decides
    if "type" in attrs:
        return attrs["type"].strip().lower() in _RUNS
    return "language" not in attrs or attrs["language"] == "" or f"text/{attrs['language'].lower()}" in _RUNS


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """The hash sources of the inline scripts the browser runs, and of the style elements, in order."""
    scripts: list[str] = []
    styles: list[str] = []
    for m in _ELEMENT.finditer(html):
        if m["tag"] is None:
            continue
        body = m["body"]
        if m["tag"].lower() == "style":
            styles.append(_hash(body))
        elif _runs(_attributes(m["attrs"])):
            if "<!--" in body:  # the browser may not end such a script where a regex does
                raise PolicyError(f"an inline script holds '<!--': {body[:80]!r}")
            scripts.append(_hash(body))
    return list(dict.fromkeys(scripts)), list(dict.fromkeys(styles))


def policy(html: str) -> str:
    """The policy of one page: DIRECTIVES with the hashes of its own inline scripts and styles."""
    scripts, styles = inline_hashes(html)
    directives = dict(DIRECTIVES)
    directives["script-src"] = " ".join([directives["script-src"], *scripts])
    directives["style-src"] = " ".join([directives["style-src"], *styles])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def with_policy(html: str, own: str | None = None) -> str:
    """`html` with its policy as the first element of its head. The page must be final: a
    script added or changed afterwards would not run.

    `own` is the part of the page the site itself wrote (its templates and the theme's), when
    the rest holds corpus text: only the inline scripts of `own` are allowed. A script that
    reached the corpus's part of a page, because an escape was missed, is then what the policy
    is for: it stays in the page and does not run."""
    return with_meta(html, meta(policy(html if own is None else own)))


def meta(policy_text: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy_text}">'


def with_meta(html: str, policy_meta: str) -> str:
    """`html` with `policy_meta` (see `meta`) as the first element of its head."""
    head = _HEAD.search(html)
    if head is None:
        raise PolicyError("the page has no <head> to put its policy in")
    if 'http-equiv="Content-Security-Policy"' in html:
        raise PolicyError("the page has a policy already")
    return html[: head.end()] + policy_meta + html[head.end() :]
