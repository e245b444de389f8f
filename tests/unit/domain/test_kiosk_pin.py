"""The kiosk PIN (``domain.supervisor``, digits only): a salted scrypt hash, a pause after wrong guesses."""

from __future__ import annotations

import pytest

from checkin.domain.supervisor import (
    LOCK_SECONDS,
    MAX_TRIES,
    PinGuard,
    PinOutcome,
    hash_pin,
    pin_problem,
    verify_pin,
)


def test_only_a_salted_hash_is_stored_and_it_verifies_the_pin() -> None:
    stored = hash_pin("482915", digits_only=True)
    assert "482915" not in stored
    assert stored.startswith("scrypt$")
    assert verify_pin("482915", stored)
    assert not verify_pin("482916", stored)
    assert hash_pin("482915") != stored  # a new salt every time


@pytest.mark.parametrize(
    "stored", ["", "plain", "scrypt$1$2$3$zz$yy", "md5$1$1$1$00$00", "scrypt$16384$8$1$00"]
)
def test_a_malformed_stored_value_never_lets_anyone_out(stored: str) -> None:
    assert not verify_pin("1234", stored)


@pytest.mark.parametrize(
    ("pin", "ok"),
    [
        ("1234", True),
        ("123456789012", True),
        ("123", False),
        ("12a4", False),
        ("１２３４", False),
        ("", False),
    ],
)
def test_a_pin_is_four_to_twelve_digits(pin: str, ok: bool) -> None:
    assert (pin_problem(pin, digits_only=True) is None) is ok
    if not ok:
        with pytest.raises(ValueError, match="PIN"):
            hash_pin(pin, digits_only=True)


def test_wrong_pins_in_a_row_pause_all_checks() -> None:
    now = [0.0]
    guard = PinGuard(hash_pin("2468"), clock=lambda: now[0])
    for _ in range(MAX_TRIES - 1):
        assert guard.check("0000").outcome is PinOutcome.WRONG
    last = guard.check("0000")
    assert (last.outcome, last.wait_seconds) == (PinOutcome.WRONG, LOCK_SECONDS)
    now[0] += 5
    locked = guard.check("2468")  # even the right PIN waits
    assert locked.outcome is PinOutcome.LOCKED
    assert locked.wait_seconds == pytest.approx(LOCK_SECONDS - 5)
    now[0] += LOCK_SECONDS
    assert guard.check("2468").outcome is PinOutcome.OK
