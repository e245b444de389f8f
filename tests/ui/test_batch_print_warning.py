"""Before a batch of badges goes out, the window names whoever's badge would show "�" and asks."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox

from checkin.ui.badge_dialogs import BatchBadgeDialog
from tests.helpers import People
from tests.helpers.desk import build_desk

CJK_NAMES = (("伟", "王"), ("娜", "李"), ("秀英", "张"))


@pytest.fixture
def dialog(qtbot, db, demo_event, clock, monkeypatch) -> BatchBadgeDialog:
    monkeypatch.delenv("CHECKIN_CJK_FONT", raising=False)
    people = People(db, demo_event)
    people.add("Anna", "Schmidt", days=())
    people.add("Łukasz", "Wójcik", days=())  # Latin Extended: printable, not listed
    for first, last in CJK_NAMES:
        people.add(first, last, days=(), organisation="北京大学")
    batch = BatchBadgeDialog(build_desk(db, demo_event, clock))
    qtbot.addWidget(batch)
    return batch


def test_the_affected_people_are_listed_and_cancel_prints_nothing(dialog, tmp_path) -> None:
    out = tmp_path / "badges.pdf"
    dialog.save_batch(out)
    box = dialog.print_warning
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    text = box.text()
    assert text.startswith("3 Namen enthalten Zeichen, die die Schrift nicht hat:")
    for first, last in CJK_NAMES:
        assert f"{first} {last}" in text
    assert "Wójcik" not in text
    assert "Schmidt" not in text
    assert "CHECKIN_CJK_FONT" in text  # the remedy
    assert box.informativeText() == "Die Namensschilder trotzdem drucken?"
    cancel = next(b for b in box.buttons() if b is not dialog.print_anyway_button)
    cancel.click()
    assert not out.exists()
    assert dialog.status_label.text() == "Abgebrochen; es wurde nichts gedruckt oder gespeichert."
    assert dialog._context.badges.printed_ids() == set()


def test_continue_prints_everybody(dialog, tmp_path) -> None:
    out = tmp_path / "badges.pdf"
    dialog.save_batch(out)
    dialog.print_anyway_button.click()
    assert len(PdfReader(out).pages) == 5
    assert len(dialog._context.badges.printed_ids()) == 5


def test_no_question_when_every_name_prints(qtbot, db, demo_event, clock, tmp_path) -> None:
    People(db, demo_event).add("Ελένη", "Παπαδοπούλου", days=())
    batch = BatchBadgeDialog(build_desk(db, demo_event, clock))
    qtbot.addWidget(batch)
    out = tmp_path / "badges.pdf"
    batch.save_batch(out)
    assert not hasattr(batch, "print_warning")
    assert len(PdfReader(out).pages) == 1


def test_a_broken_pdf_background_is_named_too(dialog, tmp_path) -> None:
    from dataclasses import replace

    from checkin.domain.badge_templates import BadgeTemplate, TemplateElement

    broken = tmp_path / "hintergrund.pdf"
    broken.write_bytes(b"%PDF-1.4\nnothing else")
    badges = dialog._context.badges
    front = (TemplateElement("background", 0, 0, 105, 148, src=str(broken)),)
    badges.style = replace(badges.style, templates=(BadgeTemplate("a6", front),))
    dialog.save_batch(tmp_path / "badges.pdf")
    assert "Der Hintergrund hintergrund.pdf kann nicht verwendet werden" in dialog.print_warning.text()
