"""The YAML hints guess from text around libyaml's stop; whatever the text, they must point at a
place that exists and never break the load. The exact reports are in tests/mistakes/."""

from __future__ import annotations

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.load import _Loader, _syntax_problem

# Pieces of the data files' own shape, so the random files fail in the ways curators' do.
PIECES = ["  ", "    ", "\t", "- ", "id", "text", "source", ": ", ":", '"', "'", "\\", "#", "a b", "\n", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@example('quotes:\n  - id: a\n    text: "x "y" z"\n')
@example("quotes:\n  - id: a\n  id: b\n")
@example("quotes:\n\t- id: a\n")
@example(" id: a\nnumber: 2\n")
def test_a_syntax_error_is_reported_at_a_place_in_the_file(text: str) -> None:
    loader = _Loader(text)
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        problem = _syntax_problem("data/parts/01-x.yaml", e, text)
    else:
        return
    finally:
        loader.dispose()
    lines = text.split("\n")
    assert 1 <= problem.line <= len(lines), problem
    assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1, problem
    assert problem.message and problem.hint


def test_a_long_text_with_a_stray_quote_shows_only_the_part_around_the_fix() -> None:
    words = "Models represent features as directions; " * 3
    text = f'quotes:\n  - id: a\n    text: "{words}a "linear" probe finds them, {words}"\n'
    loader = _Loader(text)
    try:
        loader.get_single_node()
        raise AssertionError("the text is not valid YAML")
    except yaml.MarkedYAMLError as e:
        problem = _syntax_problem("data/parts/01-x.yaml", e, text)
    finally:
        loader.dispose()
    assert problem.column == text.split("\n")[2].index('"linear') + 1
    shown = problem.hint.split(": ", 1)[1]
    assert shown.startswith("…") and shown.endswith("…"), shown
    assert 'a \\"linear\\" probe' in shown
    assert len(shown) <= 62
