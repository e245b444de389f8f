"""The badge commands, run through argparse and the real handlers against a test database."""

from __future__ import annotations

import argparse

import pytest

from checkin.cli import badge_commands
from checkin.cli.context import CliContext
from checkin.domain.errors import UserError
from tests.unit.badges.badge_helpers import pdf_reader


def run(db, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="checkin")
    badge_commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    context = CliContext(db_arg=db.url, event_slug=None)
    try:
        return args.handler(args, context)
    finally:
        context.close()


def test_badges_command_writes_sorted_pdf_and_logs(db, demo_event, hard_people, tmp_path, capsys):
    out = tmp_path / "badges.pdf"
    assert run(db, ["badges", "--out", str(out), "--layout", "a4-4xa6"]) == 0
    assert "10 Namensschilder" in capsys.readouterr().out
    reader = pdf_reader(out)
    assert len(reader.pages) == 3
    first_page = reader.pages[0].extract_text()
    assert "Кузнецова" not in first_page  # Cyrillic sorts after Latin
    assert "Hohenzollern" in first_page  # "Freiherr von ..." sorts under F


def test_badges_command_with_codes_category_and_unprinted(db, demo_event, hard_people, tmp_path, capsys):
    code = hard_people[1][1]
    out = tmp_path / "one.pdf"
    assert run(db, ["badges", "--out", str(out), "--code", code, "--desk", "Tisch 1"]) == 0
    assert "Wróblewski" in pdf_reader(out).pages[0].extract_text()
    rest = tmp_path / "rest.pdf"
    assert run(db, ["badges", "--out", str(rest), "--unprinted", "--category", "participant"]) == 0
    text = "".join(page.extract_text() for page in pdf_reader(rest).pages)
    assert "Wróblewski" not in text
    assert "Yılmaz" in text


def test_badges_command_refuses_bad_input(db, demo_event, hard_people, tmp_path):
    with pytest.raises(UserError, match="Layout"):
        run(db, ["badges", "--out", str(tmp_path / "x.pdf"), "--layout", "poster"])
    with pytest.raises(SystemExit):
        run(db, ["badges", "--out", str(tmp_path / "x.txt")])
    assert not (tmp_path / "x.pdf").exists()


def test_layouts_command_lists_builtins(db, demo_event, capsys):
    assert run(db, ["layouts"]) == 0
    out = capsys.readouterr().out
    assert "* a6" in out
    assert "avery-l4785" in out
    assert "10 pro Seite" in out


def test_certificates_command(db, demo_event, hard_people, tmp_path, capsys):
    out = tmp_path / "c.pdf"
    with pytest.raises(UserError, match="eingecheckt"):
        run(db, ["certificates", "--out", str(out), "--code", hard_people[0][1]])
    assert not out.exists()


def test_certificates_command_for_an_attendee(db, demo_event, hard_people, tmp_path, capsys):
    import datetime as dt

    from checkin.domain.models import ENTRANCE_SCOPE, CheckInLogEntry, LogAction

    with db.session_factory.begin() as session:
        session.add(
            CheckInLogEntry(
                event_id=demo_event.id,
                registration_id=hard_people[2][0],
                day_id=demo_event.days[0].id,
                scope=ENTRANCE_SCOPE,
                seq=0,
                action=LogAction.CHECK_IN,
                at=dt.datetime(2024, 9, 19, 8, tzinfo=dt.UTC),
            )
        )
    out = tmp_path / "c.pdf"
    assert run(db, ["certificates", "--out", str(out)]) == 0
    assert "1 Teilnahmebescheinigung in" in capsys.readouterr().out
    assert "Şebnem Yılmaz" in pdf_reader(out).pages[0].extract_text()


def test_certificates_command_needs_exactly_one_target(db, demo_event, tmp_path):
    with pytest.raises(SystemExit):
        run(db, ["certificates"])
    with pytest.raises(SystemExit):
        run(db, ["certificates", "--out", str(tmp_path / "a.pdf"), "--out-dir", str(tmp_path)])


def test_double_sided_is_refused_on_label_rolls(db, demo_event, hard_people, tmp_path):
    out = tmp_path / "roll.pdf"
    with pytest.raises(UserError, match="Etikettenrolle"):
        run(db, ["badges", "--out", str(out), "--layout", "dymo-11356", "--double-sided"])
    assert not out.exists()
    # Without the flag the roll prints, even when the event file asks for double-sided badges.
    assert run(db, ["badges", "--out", str(out), "--layout", "dymo-11356", "--no-log"]) == 0


def test_start_at_leaves_the_first_labels_of_the_first_sheet_empty(db, demo_event, hard_people, tmp_path):
    from tests.unit.badges.badge_helpers import decode_qr, render_pngs

    out = tmp_path / "sheet.pdf"
    codes = sorted(code for _, code in hard_people)
    args = ["badges", "--out", str(out), "--layout", "avery-l4785", "--start-at", "8", "--no-log"]
    for code in codes[:5]:
        args += ["--code", code]
    assert run(db, args) == 0
    first, second = render_pngs(out, tmp_path)
    # 10 labels per sheet (2 × 5): label 8 is the right one of row 4; 3 fit on sheet 1, 2 go to sheet 2.
    hits = decode_qr(first)
    assert len(hits) == 3
    assert min(y for _text, _x, y in hits) > first.size[1] * 0.55  # rows 4 and 5 only
    assert len(decode_qr(second)) == 2
    with pytest.raises(UserError, match="Etiketten 1 bis 10"):
        run(db, ["badges", "--out", str(out), "--layout", "avery-l4785", "--start-at", "11"])
    with pytest.raises(UserError, match="Bögen"):
        run(db, ["badges", "--out", str(out), "--layout", "a6", "--start-at", "2"])
    with pytest.raises(SystemExit):
        run(db, ["badges", "--out", str(out), "--start-at", "0"])


def test_badges_onto_a_full_disk_say_so_and_leave_nothing_behind(tmp_path):
    """A file-size limit stands in for a full disk: a message, exit 1, no ``.part`` file."""
    import resource
    import signal
    import subprocess
    import sys

    db_path = tmp_path / "d.db"
    code = "from checkin.cli import main; raise SystemExit(main())"
    subprocess.run(
        [sys.executable, "-c", code, "--db", str(db_path), "demo"], check=True, capture_output=True
    )

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    out = tmp_path / "out"
    out.mkdir()
    argv = [sys.executable, "-c", code, "--db", str(db_path), "badges", "--out", str(out / "b.pdf")]
    done = subprocess.run(argv, preexec_fn=limit, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "b.pdf" in done.stderr
    assert list(out.iterdir()) == []
