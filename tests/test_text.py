"""The one rule for showing text, and the limits on what is recorded."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import incident.core.text as text_module
from incident import commands
from incident.commands import CommandError
from incident.core.clipping import clipped, clipped_at_words
from incident.core.limits import DEFAULT, FIELD_LIMITS, NAME, TEXT, TITLE, TextRefused, check_text
from incident.core.text import (
    block_is_visible,
    counted,
    has_control,
    json_text,
    storable,
    utf8_block_is_visible,
    visible,
    visible_block,
)
from incident.reports.markdown import cell, code_span, fence, inline
from runbooks.printable import BIDI_CONTROLS, INVISIBLE

any_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


@given(any_text)
def test_visible_leaves_no_control_character(text):
    shown = visible(text)
    assert not has_control(shown)
    assert len(shown) >= len(text)


@given(any_text)
def test_visible_block_keeps_only_newline_and_tab(text):
    shown = visible_block(text)
    assert {c for c in shown if has_control(c)} <= {"\n", "\t"}
    assert shown.count("\n") == text.count("\n")


@given(st.recursive(any_text, lambda inner: st.lists(inner) | st.dictionaries(any_text, inner)))
def test_json_text_keeps_the_exact_text_and_no_raw_control(value):
    dumped = json_text(value)
    assert json.loads(dumped) == value
    assert not has_control(dumped.replace("\n", ""))


def test_pictures_for_the_sequences_that_matter():
    assert visible("\x1b]52;c;Y3Vy\x07") == "␛]52;c;Y3Vy␇"
    assert visible("a\x00b\x7fc\x9b1m\r\n\t") == "a␀b␡c\\x9b1m␍␊␉"
    assert visible_block("line\r\nnext\ttab\x1b[2J") == "line\nnext\ttab␛[2J"
    assert visible("invoice\u202efdp.exe") == "invoice\\u202efdp.exe"
    assert visible_block("\u2067approved\u2069\n") == "\\u2067approved\\u2069\n"
    assert visible("שלום\u200f") == "שלום\\u200f"  # a mark: a bidi control, shown
    assert json_text("\u202e") == '"\\u202e"'
    assert visible("one\u2028two\u2029") == "one\\u2028two\\u2029"  # no second line
    assert json_text("\u2028") == '"\\u2028"'


def test_invisible_characters_are_named_and_joiners_stay():
    """A name with a zero-width space in it is not the name without one, and text in
    tag characters is text no reader sees: both are shown by their codes. The joiners
    that emoji and Persian names are made of stay as they are, between two characters
    beyond ASCII; anywhere else they join nothing and are shown by their codes, as are
    the bidi marks and the Hangul fillers (a letter drawn blank) (review 5, finding 16)."""
    assert visible("al\u200bice") == "al\\u200bice"
    assert visible("\ufeffstart\u2060") == "\\ufeffstart\\u2060"
    assert visible("ok\U000e0041\U000e007f") == "ok\\U000e0041\\U000e007f"
    assert visible_block("a\u200b\nb\u2064") == "a\\u200b\nb\\u2064"
    family, persian = (
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",
        "\u0645\u06cc\u200c\u0631\u0648\u0645",
    )
    assert visible(family) == family
    assert visible(persian) == persian
    assert has_control("a\U000e0041") and not has_control(family + persian)
    flag = "\U0001f3f3\ufe0f\u200d\U0001f308"  # a variation selector before the joiner
    assert visible(flag) == flag and not has_control(flag)
    shown = "LRM[\\u200e] RLM[\\u200f] ALM[\\u061c] ZWJ[\\u200d] ZWNJ[\\u200c] [\\u3164]"
    typed = "LRM[\u200e] RLM[\u200f] ALM[\u061c] ZWJ[\u200d] ZWNJ[\u200c] [\u3164]"
    assert visible(typed) == shown and visible_block(typed) == shown
    assert visible("Ada\u200d") == "Ada\\u200d" and visible("\u200d\u0645") == "\\u200d\u0645"
    assert visible("\x1b\u200d\x1b") == "␛\\u200d␛"  # a control beside it joins nothing
    assert visible("\uffa0\u115f\u1160") == "\\uffa0\\u115f\\u1160"
    assert json_text("Ada\u200d\u3164\u200f") == '"Ada\\u200d\\u3164\\u200f"'
    assert json_text(family) == f'"{family}"'


def test_the_output_names_what_runbook_commands_refuse():
    """`incident.core.text` keeps its own copy of the classes (it loads before
    `typing`, which `runbooks.printable` imports): the two agree on every format
    character and separator Unicode has."""
    refused = re.compile(f"[{BIDI_CONTROLS}{INVISIBLE}\u2028\u2029]")
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in ("Cf", "Zl", "Zp") or char in "\u3164\uffa0":
            assert (visible(char) != char) == bool(refused.fullmatch(char)), hex(code)


def test_json_keeps_invisible_characters_and_escapes_them():
    """The exact text, with no invisible character written raw: one beyond the first
    plane is escaped as JSON spells it, a surrogate pair."""
    dumped = json_text("ok\U000e0041\u200b")
    assert dumped == '"ok\\udb40\\udc41\\u200b"'
    assert json.loads(dumped) == "ok\U000e0041\u200b"


def test_a_lone_surrogate_is_stored_and_shown_as_its_code():
    """Half a UTF-16 pair, as a JSON `"\\ud800"` decodes: UTF-8 cannot write it, so the
    record keeps its code, and every output shows it so (ux_review5, finding 11)."""
    assert storable("2.4.1 \ud800 \x1b \U00010000") == "2.4.1 \\ud800 \x1b \U00010000"
    assert storable("\udfff") == "\\udfff"
    assert visible("a\udc00") == "a\\udc00"
    assert json_text("a\ud800") == '"a\\ud800"'
    assert has_control("\ud800")
    for text in (storable("x\ud800"), visible("x\ud800"), json_text("x\ud800")):
        text.encode("utf-8")


def test_a_cut_never_splits_a_tag_characters_code():
    shown = visible("x" * 10 + "\U000e0041")  # 10 + a 10-character escape
    for width in range(11, 21):
        cut = clipped(shown, width)
        assert cut == "x" * 10 + "…" or cut == shown, (width, cut)


@given(any_text)
def test_markdown_helpers_never_write_a_raw_control(text):
    for shown in (inline(text), cell(text), code_span(text)):
        assert not has_control(shown)
    assert {c for c in "".join(fence(text)) if has_control(c)} <= {"\t"}


def test_limits_refuse_nul_and_overlong_text_by_kind():
    check_text("title", "t" * TITLE.max_chars)
    check_text("by", "b" * NAME.max_chars)
    check_text("text", "n" * TEXT.max_chars)
    with pytest.raises(TextRefused, match="the title is 201 characters long"):
        check_text("title", "t" * 201)
    with pytest.raises(TextRefused, match="the reason contains a NUL character"):
        check_text("reason", "a\x00b")
    with pytest.raises(TextRefused, match="limit for a line is 2,000"):
        check_text("some_new_field", "x" * 2001)
    assert FIELD_LIMITS["text"] is TEXT


def test_commands_refuse_what_cannot_be_recorded(clock, small_runbook):
    from incident.core.state import fold

    declared = commands.declare(
        small_runbook,
        commands.Declaration(title="t", severity="SEV2", commander="Ada"),
        actor="a",
        clock=clock,
        incident_id="INC-1",
    )
    with pytest.raises(CommandError, match="the issue contains a NUL character"):
        commands.declare(
            small_runbook,
            commands.Declaration(title="t", severity="SEV2", commander="Ada", issue="A\x00da"),
            actor="a",
            clock=clock,
        )
    # A name is refused before: it holds a control character (`incident.core.names`).
    with pytest.raises(CommandError, match="control character \\(␀ at character 2\\)"):
        commands.declare(
            small_runbook,
            commands.Declaration(title="t", severity="SEV2", commander="A\x00da"),
            actor="a",
            clock=clock,
        )
    from incident.core.events import Event

    state = fold(
        [
            Event(
                incident_id=declared.incident_id,
                seq=1,
                kind=declared.kind,
                actor=declared.actor,
                at=declared.at,
                mono_ns=0,
                payload=declared.payload,
                data=declared.data,
                prev_hash="0" * 64,
                hash="1" * 64,
            )
        ]
    )
    with pytest.raises(CommandError, match="the text is 20,001 characters long"):
        commands.add_note(state, "x" * 20_001, actor="a", clock=clock)
    note = commands.add_note(state, "control \x1b[2J is data", actor="a", clock=clock)
    assert note.payload["text"] == "control \x1b[2J is data"


def test_the_documented_limits_are_the_enforced_ones():
    doc = (Path(__file__).parent.parent / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
    section = doc.split("## Limits on text", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\w+) \| ([\d,]+) \|", section, flags=re.MULTILINE)
    documented = {kind: int(maximum.replace(",", "")) for kind, maximum in rows}
    enforced = {limit.kind: limit.max_chars for limit in {*FIELD_LIMITS.values(), DEFAULT}}
    assert documented == enforced


@given(st.one_of(any_text, st.text(st.characters(max_codepoint=0x7F))))
def test_the_bytes_check_agrees_with_the_text_check_on_ascii_and_never_passes_more(text):
    encoded_ok = utf8_block_is_visible(text.encode())
    assert encoded_ok == (text.isascii() and block_is_visible(text))


@given(st.one_of(any_text, st.text(st.sampled_from("a·→\n\t\r\u115f\u200d\u202e\ud800é"))))
def test_the_printable_shortcut_agrees_with_the_block_pattern(text):
    """`block_is_visible` answers printable text without its pattern: never otherwise."""
    assert block_is_visible(text) == (text_module._block_control().search(text) is None)


def test_a_count_takes_the_singular_for_one_only() -> None:
    assert [counted(n, "event") for n in (0, 1, 2)] == ["0 events", "1 event", "2 events"]
    assert [counted(n, "try", "tries") for n in (1, 3)] == ["1 try", "3 tries"]


def test_no_count_is_written_with_an_s_in_brackets() -> None:
    """`{n} message(s)` reads badly for every n: `counted` says it once, rightly."""
    root = Path(__file__).resolve().parent.parent
    bracketed = re.compile(r"\}[\w ]*\(s\)")
    found = [
        f"{path.relative_to(root)}:{number}"
        for package in ("incident", "runbooks", "store", "tui")
        for path in sorted((root / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bracketed.search(line)
    ]
    assert found == []


@given(
    st.text(st.sampled_from("ab\u202e\u2066\x9b\x1b\n"), max_size=60),
    st.integers(min_value=2, max_value=40),
)
def test_a_clipped_line_ends_between_two_characters_shown(text: str, width: int) -> None:
    """`clipped` cuts the shown text where one character's stand-in ends and the next
    one's starts: never inside `\\u202e` or `\\x9b`."""
    shown = visible(text)
    cut = clipped(shown, width)
    assert len(cut) <= width
    if cut == shown:
        return
    assert cut.endswith("…")
    kept = cut[:-1]
    prefixes = {visible(text[:n]) for n in range(len(text) + 1)}
    assert kept in prefixes


@given(
    st.text(st.sampled_from("ab \u202e\x9b"), max_size=80),
    st.integers(min_value=2, max_value=40),
)
def test_clipped_at_words_keeps_whole_words_and_whole_escapes(text: str, width: int) -> None:
    """`clipped_at_words` (a toast's words, the brief's lines) cuts after a whole word,
    never inside an escape, and fits `width`."""
    shown = visible(text)
    cut = clipped_at_words(shown, width)
    assert len(cut) <= width
    if cut == shown:
        return
    kept = cut.removesuffix("…")
    assert cut.endswith("…") and shown.startswith(kept)
    assert kept in {visible(text[:n]) for n in range(len(text) + 1)}


def test_clipped_at_words_reads() -> None:
    said = "checkout 12% errors since 2.4.1, trigger met"
    assert clipped_at_words(said, 60) == said
    assert clipped_at_words(said, 30) == "checkout 12% errors since…"
    assert clipped_at_words(said, 33) == "checkout 12% errors since 2.4.1…"  # no comma left
    assert clipped_at_words("x" * 40, 10) == "x" * 9 + "…"  # one long word: cut inside


def test_in_place_draws_one_character_for_each_held() -> None:
    """A field holds the text and draws `in_place(text)`: its cursor and selection
    count the characters held, so each is drawn as one, never as a control."""
    from incident.core.text import has_control, in_place

    held = "a\x1bb\x85c\u202ed\u200be\x7ff\u3164g\U000e0041h\u200di\nj\tk"
    drawn = in_place(held)
    assert drawn == "a\u241bb\u2426c\u2426d\u2426e\u2421f\u2426g\u2426h\u2426i\u240aj\tk"
    assert len(drawn) == len(held)
    assert not has_control(drawn.replace("\t", " "))
    family = "\U0001f468\u200d\U0001f469"  # a joiner that joins stays, as `visible` keeps it
    assert in_place(family) == family


@given(st.text())
def test_in_place_keeps_the_length_and_draws_no_control(text: str) -> None:
    from incident.core.text import has_control, in_place

    drawn = in_place(text)
    assert len(drawn) == len(text)
    assert not has_control(drawn.replace("\t", " "))
