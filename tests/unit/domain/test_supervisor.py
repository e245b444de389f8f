"""The supervisor PIN: kept as a salted hash, checked, every use in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from checkin.domain.supervisor import SupervisedStep, hash_pin, pin_problem, record_use, uses, verify_pin


def test_the_pin_is_kept_salted_and_never_in_clear():
    first, second = hash_pin("4711"), hash_pin("4711")
    assert "4711" not in first
    assert first != second  # a fresh salt each time
    assert first.startswith("scrypt$")
    assert verify_pin("4711", first)
    assert verify_pin("4711", second)


@pytest.mark.parametrize("pin", ["4712", "", "47110", " 4711"])
def test_a_wrong_pin_is_refused(pin):
    assert not verify_pin(pin, hash_pin("4711"))


@pytest.mark.parametrize(
    "stored", ["", "4711", "pbkdf2$1$2$3$00$00", "scrypt$x$8$1$00$00", "scrypt$16384$8$1$zz$00"]
)
def test_anything_malformed_verifies_nothing(stored):
    assert not verify_pin("4711", stored)


def test_a_pin_is_at_least_four_characters():
    with pytest.raises(ValueError, match=r"\b4\b"):
        hash_pin("471")
    assert pin_problem("4711") is None
    assert pin_problem("ab c") is None  # a supervisor PIN may be any characters
    assert pin_problem("ab c", digits_only=True) is not None  # a kiosk PIN may not


def test_every_use_is_an_audit_row_with_desk_and_time(db, demo_event):
    at = dt.datetime(2024, 9, 19, 7, 30, tzinfo=dt.UTC)
    record_use(db, event_id=demo_event.id, desk="Platz 1", step=SupervisedStep.EXPORT, at=at)
    record_use(
        db,
        event_id=demo_event.id,
        desk="Platz 2",
        step=SupervisedStep.OLD_UNDO,
        at=at + dt.timedelta(minutes=5),
        detail={"registration_id": 7},
    )
    assert uses(db, demo_event.id) == [
        (at, "Platz 1", {"step": "export"}),
        (at + dt.timedelta(minutes=5), "Platz 2", {"step": "old_undo", "registration_id": 7}),
    ]
