"""Scan input cleaning, and the promise that any scan string gets a verdict and changes nothing."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkin.domain.scanning import MAX_CODE_LENGTH, clean_scan
from checkin.domain.verdicts import VerdictKind
from checkin.presentation.verdict_text import verdict_text
from tests.unit.domain.conftest import DAY1


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
