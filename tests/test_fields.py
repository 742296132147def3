"""The field rules of generator/fields.py, tried directly: what a text may hold."""

from __future__ import annotations

import pytest

from generator.fields import _first_forbidden


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x1b", "\x7f", "\x85", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"],
)
def test_a_control_character_or_a_non_character_is_found_wherever_it_stands(char: str) -> None:
    value = f"Plain words 🙂 then {char} and more 🙂."
    found = _first_forbidden(value)
    assert found is not None and found[0] == char and found.start() == value.index(char)


@pytest.mark.parametrize(
    "text", ["Tab\tand line\nbreak", "Emoji 🙂 and 𝔉𝔯𝔞𝔨𝔱𝔲𝔯, plane 16 \U0010fffd", "naïve “so-called” — …"]
)
def test_text_a_person_writes_passes(text: str) -> None:
    assert _first_forbidden(text) is None
