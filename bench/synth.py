"""Synthetic corpora in the real corpus format, the same bytes for the same seed and size.

`write_corpus(data_dir, quotes=10_000)` writes data/collection.yaml, data/sources.yaml and
data/parts/NN-id.yaml with 50 parts and 200 sources, every source used (a strict build
rejects an unused one). Quote texts are English-like prose of the real corpus's lengths
(most 150–300 characters, one in twenty 600–1,500), and about one in eight carries text
that would be markup if it were not escaped: `*`, `_`, `<b>`, `&amp;`, `[x](y)`, `{{ }}`.
Roughly half the quotes have a note, a fifth their own address, most one to three tags,
one in thirty an alias, and four in five a record of one or two passages (sometimes three).

    python -m bench.synth OUT_DIR --quotes 1000 [--seed 6]
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

PARTS = 50
SOURCES = 200
TAGS = 120
SEED = 6

KINDS = ("podcast", "blog", "paper", "forum", "talk", "research thread")
STATUSES = (("verbatim", 15), ("paraphrase", 45), ("disputed", 10), (None, 30))  # None: the default, unverified

_VOCABULARY = """
model models network networks neuron neurons feature features circuit circuits attention head heads
layer layers residual stream weight weights gradient descent training loss data token tokens embedding
interpretability mechanistic alignment safety research researcher question questions answer answers
understand understanding reverse engineer algorithm algorithms behaviour behavior internal internals
representation representations linear probe probes superposition polysemantic monosemantic sparse
dictionary autoencoder grokking generalization memorization phase change transition induction copying
world board game othello move moves state states prediction predictions compute capability capabilities
scale scaling law laws frontier deceptive honest honesty evaluation evaluations benchmark benchmarks
tool tools library code experiment experiments hypothesis hypotheses evidence result results paper
papers field community mentor mentors student students project projects time year years idea ideas
simple simpler hard harder easy easier important useful wrong right true false clear unclear deep
small large toy real actual practical rigorous careful quick slow good bad better worse best worst
often always never sometimes usually rarely probably perhaps really actually quite very much more
most less least every each some many few whole part parts piece pieces way ways thing things point
think believe expect find found see look looking build building write writing read reading test
testing check checking measure measuring learn learning show shows explain explains predict predicts
"""
WORDS = _VOCABULARY.split()

JOINERS = ("the", "a", "of", "to", "and", "in", "that", "is", "it", "we", "you", "for", "on", "with", "as", "not")

# What a curator pastes from the web: each is text on the site, never markup.
HOSTILE = (
    "*really*",
    "__init__",
    "snake_case_name",
    "<b>bold</b>",
    "Q&amp;A",
    "R&D",
    "[the paper](https://example.org/paper)",
    "{{ template }}",
    "{% raw %}",
    "2 * 3 < 7",
    "<script>alert(1)</script>",
    "`code`",
    "# not a heading",
    "{: .class }",
)

# His own words are copied as the page shows them: no Markdown link or heading in a record
# text, which the corpus check refuses (validate: a record text holds Markdown).
RECORD_HOSTILE = tuple(h for h in HOSTILE if "](" not in h and not h.startswith("#"))

UNICODE = ("naïve", "café", "Schrödinger", "“so-called”", "—", "…", "déjà vu", "résumé")


@dataclass(frozen=True, slots=True)
class Written:
    """What `write_corpus` wrote: paths relative to the data folder's parent, and counts."""

    files: tuple[str, ...]
    quotes: int
    first_quote_file: str
    """A part file, for editing one quote."""


def _slug_words(rng: random.Random, n: int) -> list[str]:
    return [w for w in rng.sample(WORDS, n) if w.isalpha()]


def _title(words: list[str]) -> str:
    return " ".join(w.capitalize() if i == 0 or len(w) > 3 else w for i, w in enumerate(words))


def _sentence(rng: random.Random) -> str:
    words: list[str] = []
    for _ in range(rng.randint(8, 22)):
        words.append(rng.choice(JOINERS) if rng.random() < 0.35 else rng.choice(WORDS))
    if rng.random() < 0.08:
        words.insert(rng.randrange(len(words) + 1), rng.choice(UNICODE))
    text = " ".join(words)
    if rng.random() < 0.2:
        cut = rng.randrange(3, len(words) - 2)
        text = " ".join(words[:cut]) + ", " + " ".join(words[cut:])
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def _prose(rng: random.Random, length: int, hostile: bool, pasted: tuple[str, ...] = HOSTILE) -> str:
    sentences = [_sentence(rng)]
    total = len(sentences[0])
    while total < length:  # whole sentences, ending between 70% and 100% of `length` when they can
        s = _sentence(rng)
        if total + 1 + len(s) > length and total >= 0.7 * length:
            break
        sentences.append(s)
        total += len(s) + 1
    if hostile:
        i = rng.randrange(len(sentences))
        words = sentences[i].split(" ")
        words.insert(rng.randrange(1, len(words) + 1), rng.choice(pasted))
        sentences[i] = " ".join(words)
    return " ".join(sentences)


def _quote_length(rng: random.Random) -> int:
    if rng.random() < 0.05:
        return rng.randint(600, 1500)
    return rng.randint(140, 290)


def _q(value: str) -> str:
    """A YAML double-quoted scalar: JSON is YAML."""
    return json.dumps(value, ensure_ascii=False)


def corpus_texts(quotes: int, seed: int = SEED) -> dict[str, str]:
    """Every file of the corpus, `{path under the repository: text}`."""
    rng = random.Random(f"{seed}:{quotes}")
    # Records draw from their own generator, so every other field is as it was before quotes
    # had records, and figures stay comparable with earlier runs.
    record_rng = random.Random(f"{seed}:{quotes}:record")
    files: dict[str, str] = {}
    files["data/collection.yaml"] = (
        f"title: A Synthetic Collection of {quotes:,} Quotes\n"
        "person: Ada Example\n"
        f"description: {_q(_prose(rng, 300, False))}\n"
        f"intro: {_q(_prose(rng, 500, True))}\n"
        "origin_title: The Benchmark\n"
        "origin_url: https://example.org/benchmark\n"
    )

    source_ids: list[str] = []
    lines = ["sources:"]
    for i in range(SOURCES):
        words = _slug_words(rng, rng.randint(2, 4))
        sid = f"{'-'.join(words)}-{i + 1}"
        source_ids.append(sid)
        lines.append(f"  - id: {sid}")
        lines.append(f"    title: {_q(_title(words) + f' {i + 1}')}")
        lines.append(f"    kind: {KINDS[i % len(KINDS)]}")
        if rng.random() < 0.8:
            lines.append(f"    url: https://example.org/sources/{sid}")
        if rng.random() < 0.5:
            lines.append(f"    description: {_q(_prose(rng, rng.randint(60, 250), rng.random() < 0.1))}")
        lines.append("")
    files["data/sources.yaml"] = "\n".join(lines)

    # Unquoted in a flow list, as curators write them: YAML 1.1 would read `true` as a yes/no value.
    tags = sorted({"-".join(_slug_words(rng, rng.randint(1, 2))) for _ in range(TAGS * 2)} - {"true", "false"})[:TAGS]
    # Parts of uneven size, as real ones are: between half and one and a half times the mean.
    weights = [rng.uniform(0.5, 1.5) for _ in range(PARTS)]
    scale = quotes / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    sizes[-1] += quotes - sum(sizes)
    while sizes[-1] < 1:  # rounding took too much from the last part: take it back elsewhere
        big = sizes.index(max(sizes))
        sizes[big] -= 1
        sizes[-1] += 1

    number = 0
    first_quote_file = ""
    part_ids: set[str] = set()
    for p, size in enumerate(sizes, start=1):
        part_words = _slug_words(rng, rng.randint(2, 4))
        while "-".join(part_words) in part_ids:
            part_words = _slug_words(rng, rng.randint(2, 4))
        part_id = "-".join(part_words)
        part_ids.add(part_id)
        path = f"data/parts/{p:02d}-{part_id}.yaml"
        first_quote_file = first_quote_file or path
        out = [f"id: {part_id}", f"number: {p}", f"title: {_q(_title(part_words))}", "quotes:"]
        for _ in range(size):
            number += 1
            topic_words = _slug_words(rng, rng.randint(2, 4))
            qid = f"{'-'.join(topic_words)}-{number}"
            # The first quotes use every source once; the rest favour some sources, as a real corpus does.
            source = (
                source_ids[number - 1]
                if number <= SOURCES
                else source_ids[min(int(rng.paretovariate(1.2)) - 1, SOURCES - 1)]
                if rng.random() < 0.5
                else rng.choice(source_ids)
            )
            topic = _title(topic_words)
            if rng.random() < 0.3:
                topic = "the " + topic
            out.append(f"  - id: {qid}")
            out.append(f"    topic: {_q(topic)}")
            out.append(f"    text: {_q(_prose(rng, _quote_length(rng), rng.random() < 0.12))}")
            out.append(f"    source: {source}")
            status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
            if status:
                out.append(f"    status: {status}")
            if rng.random() < 0.5:
                out.append(f"    note: {_q(_prose(rng, rng.randint(60, 220), rng.random() < 0.05))}")
            if rng.random() < 0.2:
                out.append(f"    url: https://example.org/check/{qid}")
            if rng.random() < 0.85:
                out.append(f"    tags: [{', '.join(rng.sample(tags, rng.randint(1, 3)))}]")
            if rng.random() < 0.033:
                out.append(f"    aliases: [old-{qid}]")
            out.extend(_record(record_rng, number))
            out.append("")
        files[path] = "\n".join(out)
    assert number == quotes
    return files


def _record(rng: random.Random, number: int) -> list[str]:
    """Four quotes in five carry a record of one or two passages (one in ten of those three),
    a fifth of the passages with a note; as in the real corpus, passages are longer than quotes."""
    if rng.random() >= 0.8:
        return []
    count = rng.choices((1, 2, 3), (55, 35, 10))[0]
    out = ["    record:"]
    for i in range(count):
        text = _prose(rng, rng.randint(80, 420), rng.random() < 0.05, RECORD_HOSTILE)
        out.append(f"      - text: {_q(text)}")
        out.append(f"        url: https://example.org/transcripts/{number % 400}#section-{i + 1}")
        out.append(f"        where: {_q(f'Interview {number % 400}, section {i + 1}')}")
        if rng.random() < 0.2:
            out.append(f"        note: {_q(_prose(rng, rng.randint(20, 60), False))}")
    return out


def write_corpus(root: Path, quotes: int, seed: int = SEED) -> Written:
    """Write the corpus under `root/data/` (which must not exist yet)."""
    texts = corpus_texts(quotes, seed)
    for rel, text in texts.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    first = next(rel for rel in texts if rel.startswith("data/parts/"))
    return Written(tuple(texts), quotes, first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the repository root to write data/ into")
    parser.add_argument("--quotes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    written = write_corpus(args.out, args.quotes, args.seed)
    print(f"wrote {len(written.files)} files, {written.quotes} quotes, under {args.out}/data")


if __name__ == "__main__":
    main()
