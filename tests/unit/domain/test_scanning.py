"""Scan input cleaning, and the promise that any scan string gets a verdict and changes nothing."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkin.domain.scanning import MAX_CODE_LENGTH, KeyboardWedge, clean_scan, looks_like_scan
from checkin.domain.verdicts import VerdictKind
from checkin.presentation.verdict_text import verdict_text
from tests.helpers import DAY1


def test_whitespace_and_controls_are_removed():
    cleaned = clean_scan("\x02 K7PX3MQ9WTRV4N\r\n\x03")
    assert cleaned.candidates[0] == "K7PX3MQ9WTRV4N"
    assert cleaned.text == "K7PX3MQ9WTRV4N"


def test_our_codes_are_upper_cased_first():
    assert clean_scan("k7px3mq9wtrv4n").candidates[0] == "K7PX3MQ9WTRV4N"


def test_grouped_code_is_joined():
    assert "K7PX3MQ9WTRV4N" in clean_scan("K7PX 3MQ9 WTRV 4N").candidates


def test_url_query_value_and_last_path_segment():
    candidates = clean_scan("https://x.org/c?id=ABC123&lang=de").candidates
    assert candidates[0] == "ABC123"
    assert "de" in candidates
    assert clean_scan("https://x.org/ticket/ABC123").candidates[0] == "ABC123"
    assert clean_scan("https://x.org/ticket/ABC%20123/").candidates[0] == "ABC 123"


def test_yz_swapped_spellings_are_offered_separately():
    cleaned = clean_scan("ABZY")
    assert "ABZY" in cleaned.candidates
    assert cleaned.swapped[0] == "ABYZ"


def test_long_input_is_not_parsed():
    cleaned = clean_scan("A" * 20_000)
    assert cleaned.is_empty
    assert len(cleaned.text) < 100


def test_empty_and_non_text_input():
    assert clean_scan("").is_empty
    assert clean_scan(None).is_empty
    assert not clean_scan(b"ABC").is_empty


@given(st.one_of(st.text(max_size=400), st.binary(max_size=100).map(lambda b: b.decode("latin-1"))))
def test_clean_scan_never_raises_and_bounds_its_output(raw):
    cleaned = clean_scan(raw)
    assert all(0 < len(c) <= MAX_CODE_LENGTH for c in (*cleaned.candidates, *cleaned.swapped))
    assert not any(unicodedata.category(ch)[0] == "C" for c in cleaned.candidates for ch in c)


SCAN_STRINGS = st.one_of(
    st.text(max_size=300),
    st.tuples(st.text(min_size=1, max_size=20), st.integers(500, 11_000)).map(
        lambda t: (t[0] * t[1])[: t[1]]
    ),
    st.sampled_from(
        [
            "",
            "'; DROP TABLE registrations; --",
            "=cmd|'/C calc'!A0",
            "+1+1",
            "@SUM(1)",
            "😀" * 50,
            "\x00" * 10,
            "http://%zz",
            "https://example.org/?code=",
            "ORDER' OR '1'='1",
        ]
    ),
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", errors="surrogateescape")),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=SCAN_STRINGS)
def test_any_scan_string_gets_a_verdict_and_changes_nothing(desk, people, raw):
    if desk.lookup("REAL-CODE-1") is None:  # the database lives across examples
        people.add("Anna", "Schmidt", code="REAL-CODE-1", order_code="ORDER-1")
    before = people.snapshot()
    verdict = desk.scan(raw, day=DAY1)
    assert isinstance(verdict.kind, VerdictKind)
    assert verdict_text(verdict)  # every verdict can be put into words
    assert verdict.changes.is_empty == (verdict.kind is not VerdictKind.CHECKED_IN)
    if verdict.kind is not VerdictKind.CHECKED_IN:
        assert people.snapshot()[0] == before[0]
    for session_key in (None, "zw-bass"):
        desk.scan(raw, day=DAY1, session_key=session_key)


# -- the keyboard wedge: telling a scanner's burst from typing ------------------------------------


def _type(wedge: KeyboardWedge, text: str, start: float, gap: float) -> list[str | None]:
    """Feed ``text`` one key every ``gap`` seconds from ``start``; what each key returned."""
    return [wedge.feed(char, start + i * gap) for i, char in enumerate(text)]


def test_a_fast_burst_ended_by_return_is_a_scan():
    wedge = KeyboardWedge()
    assert _type(wedge, "K7PX3MQ9WTRV4N", 0.0, 0.005) == [None] * 14
    assert wedge.pending == "K7PX3MQ9WTRV4N"
    assert wedge.feed("\r", 0.075) == "K7PX3MQ9WTRV4N"
    assert wedge.pending == ""


def test_a_line_feed_ends_a_scan_like_return():
    wedge = KeyboardWedge()
    _type(wedge, "AB12CD34", 1.0, 0.008)
    assert wedge.feed("\n", 1.07) == "AB12CD34"


def test_slow_typing_is_never_a_scan():
    wedge = KeyboardWedge()
    _type(wedge, "K7PX3MQ9WTRV4N", 0.0, 0.2)
    assert wedge.feed("\r", 2.9) is None
    assert wedge.pending == ""


def test_a_burst_while_half_a_name_is_typed_is_read_alone():
    wedge = KeyboardWedge()
    _type(wedge, "Web", 0.0, 0.3)  # someone started typing a name
    assert wedge.pending == "b"  # every slow key begins a burst of its own
    _type(wedge, "K7PX3MQ9", 5.0, 0.005)  # then a badge is scanned
    assert wedge.started_burst is False
    assert wedge.pending == "K7PX3MQ9"
    assert wedge.feed("\r", 5.04) == "K7PX3MQ9"


def test_the_first_key_after_a_pause_starts_a_burst():
    wedge = KeyboardWedge()
    wedge.feed("W", 0.0)
    assert wedge.started_burst
    wedge.feed("e", 0.3)
    assert wedge.started_burst
    wedge.feed("b", 0.305)
    assert not wedge.started_burst


def test_a_short_burst_is_not_a_scan():
    wedge = KeyboardWedge()
    _type(wedge, "ja", 0.0, 0.005)
    assert not wedge.is_scan_so_far()
    assert wedge.feed("\r", 0.01) is None


def test_return_long_after_the_burst_is_not_a_scan():
    wedge = KeyboardWedge()
    _type(wedge, "AB12CD34", 0.0, 0.005)
    assert wedge.is_scan_so_far()
    assert wedge.feed("\r", 1.0) is None


def test_a_key_that_is_no_character_breaks_the_burst_off():
    wedge = KeyboardWedge()
    _type(wedge, "AB12", 0.0, 0.005)
    wedge.feed("", 0.02)  # an arrow key, a shortcut
    _type(wedge, "CD34", 0.025, 0.005)
    assert wedge.pending == "CD34"
    assert wedge.feed("\r", 0.045) is None  # four characters are not a code's worth


def test_the_limits_are_settings():
    wedge = KeyboardWedge(max_gap_ms=100, min_length=3)
    _type(wedge, "abc", 0.0, 0.08)
    assert wedge.feed("\r", 0.25) == "abc"


def test_codes_and_urls_look_like_scans_names_do_not():
    assert looks_like_scan(" k7px3mq9wtrv4n ")
    assert looks_like_scan("https://example.org/t/abc")
    assert not looks_like_scan("Müller")
    assert not looks_like_scan("Anna Schmidt")
