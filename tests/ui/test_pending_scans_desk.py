"""The desk while another program holds the database's write lock (a large import).

A scan must never wait long nor vanish: the window says at once, in red, that it was NOT
recorded and why, lists it as waiting, and records it by itself (once) when the lock is
released, without ever blocking the window meanwhile.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from sqlalchemy import select

from checkin import i18n
from checkin.domain.models import CheckInLogEntry
from checkin.domain.verdicts import Severity
from checkin.ui import theme
from tests.helpers.faults import write_lock_held


def _log_notes(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return list(session.scalars(select(CheckInLogEntry.note).order_by(CheckInLogEntry.id)))


def test_a_scan_while_the_database_is_locked_says_not_recorded_and_is_recorded_later(
    qtbot, main_window, desk_context, people, db
):
    panel = main_window.checkin_panel
    retrier = desk_context.scan_retrier
    assert retrier is not None
    path = Path(db.url.removeprefix("sqlite:///"))
    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(tick)
    try:
        with write_lock_held(path) as holder:
            started = time.monotonic()
            qtbot.keyClicks(panel.scan_field, people["mueller"].code)
            qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
            assert time.monotonic() - started < 1.5  # the desk's short wait, not the 5 s timeout
            band = panel.verdict_view.band.text()
            assert band.startswith("✕")
            assert "NICHT erfasst" in band
            assert theme.SEVERITY_COLOURS[Severity.REFUSED].strong in panel.verdict_view.styleSheet()
            detail = panel.verdict_view.detail_label.text()
            assert "Dr. Jürgen Müller" in detail
            assert "Die Datenbank ist belegt" in detail
            assert "bleibt auf diesem Rechner gespeichert" in detail
            assert panel.station.pending_view.isVisible()
            assert panel.station.pending_view.topLevelItemCount() == 1
            row = panel.station.pending_view.topLevelItem(0)
            assert row.text(1) == "Dr. Jürgen Müller"
            assert row.text(2) == "✕  Noch nicht erfasst, wird wiederholt (Datenbank belegt)"
            assert panel.recent.topLevelItemCount() == 0
            assert panel.scan_field.text() == ""
            assert panel.scan_field.hasFocus()
            # The retries (every second, each waiting 0.5 s for the lock) run beside the window.
            last[0] = time.monotonic()
            heartbeat.start()
            qtbot.wait(2600)
            heartbeat.stop()
            assert panel.station.pending_view.topLevelItemCount() == 1
            assert _log_notes(db) == []
            holder.release()
        qtbot.waitUntil(lambda: panel.station.pending_view.topLevelItemCount() == 0, timeout=10_000)
    finally:
        heartbeat.stop()
        retrier.stop()
    assert len(gaps) > 50
    assert max(gaps) < 0.45
    assert not panel.station.pending_view.isVisible()
    assert panel.recent.topLevelItemCount() == 1
    assert panel.recent.topLevelItem(0).text(2) == "✓  Eingecheckt"
    assert panel.recent.scans[0].verdict.person.last_name == "Müller"
    # Nothing was shown since: the big view now says the check-in was recorded.
    assert panel.verdict_view.band.text().startswith("✓")
    assert panel.verdict_view.name_label.text() == "Jürgen Müller"
    (note,) = _log_notes(db)
    assert note.startswith("queued:")
    assert len(retrier.queue) == 0


def test_not_recorded_is_said_in_english_too(qtbot, main_window, desk_context, people, db):
    i18n.set_language("en")
    panel = main_window.checkin_panel
    path = Path(db.url.removeprefix("sqlite:///"))
    try:
        with write_lock_held(path):
            panel.submit_scan(people["schmidt"].code)
            assert "NOT recorded" in panel.verdict_view.band.text()
            assert "The database is busy" in panel.verdict_view.detail_label.text()
            row = panel.station.pending_view.topLevelItem(0)
            assert row.text(2).startswith("✕  Not recorded yet, retrying")
            desk_context.scan_retrier.timer.stop()
            desk_context.scan_retrier.wait()
        # The next scan goes through at once and sets the queue going; its verdict stays on screen.
        assert panel.submit_scan(people["mueller"].code) is not None
        qtbot.waitUntil(lambda: panel.station.pending_view.topLevelItemCount() == 0, timeout=10_000)
    finally:
        desk_context.scan_retrier.stop()
    assert [panel.recent.topLevelItem(i).text(2) for i in range(2)] == ["✓  Checked in"] * 2
    assert [scan.verdict.person.last_name for scan in panel.recent.scans] == ["Schmidt", "Müller"]
    assert panel.verdict_view.name_label.text() == "Jürgen Müller"


def test_a_person_chosen_by_hand_while_the_database_is_locked_is_not_recorded_and_says_so(
    qtbot, main_window, desk_context, people, db
):
    panel = main_window.checkin_panel
    path = Path(db.url.removeprefix("sqlite:///"))
    with write_lock_held(path):
        started = time.monotonic()
        assert panel.check_in_registration(people["mueller"].registration_id) is None
        assert time.monotonic() - started < 1.5
        assert "NICHT erfasst" in panel.verdict_view.band.text()
        detail = panel.verdict_view.detail_label.text()
        assert "Die Datenbank ist belegt" in detail
        assert "Bitte die Person gleich noch einmal auswählen" in detail
    assert panel.station.pending_view.topLevelItemCount() == 0
    assert _log_notes(db) == []
    assert panel.check_in_registration(people["mueller"].registration_id) is not None
    assert _log_notes(db) == ["manual"]
