"""``checkin pretix connect`` / ``download`` against a real pretix (.ci/pretix-server).

The shop (see the script) has a two-day event with "Teilnahme", "Referent/in", a day ticket with a
variation per day, an add-on without admission, a check-in list, paid, cancelled and pending
orders, names with titles and umlauts, companies and the "Zukunftswerkstatt" question.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin import i18n
from checkin.cli import main
from checkin.domain.db import Database, open_database
from checkin.domain.events import EventService
from checkin.domain.models import PretixConnection, Registration
from checkin.domain.progress import Cancelled, RecordingProgress
from checkin.domain.verdicts import VerdictKind
from checkin.pretix import client as client_module
from checkin.pretix.service import PretixService
from tests.helpers.pretix import PretixServer, pretix_server

TUE, WED = dt.date(2030, 9, 17), dt.date(2030, 9, 18)
# The shop's admission positions: 7 single orders and an order of two; the add-on is no person.
# Other tests add orders to the same server, so the whole count is asked of pretix (``_people_in_pretix``).
SHOP_PEOPLE = 9


@pytest.fixture
def pretix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PretixServer:
    server = pretix_server()
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets" / "secrets.json"))
    monkeypatch.setenv("CHECKIN_LANG", "en")
    i18n.set_language("en")
    yield server
    i18n.set_language("de")


def _connect(pretix: PretixServer, db: Path, *extra: str, token: str | None = None) -> int:
    return main(
        [
            "--db", str(db), "pretix", "connect", "--url", pretix.url, "--token", token or pretix.token,
            "--organizer", pretix.organizer, "--event", pretix.event, *extra,
        ]
    )  # fmt: skip


def _people_in_pretix(pretix: PretixServer) -> int:
    """Admission positions in pretix now, asked of pretix itself (the witness)."""
    items = {i["id"]: i["admission"] for i in pretix.event_api("items/?page_size=50")["results"]}
    count, url = 0, "orders/?page_size=50&include_canceled_positions=true"
    while url:
        page = pretix.event_api(url)
        count += sum(1 for o in page["results"] for p in o["positions"] if items[p["item"]])
        url = page["next"].split(f"/events/{pretix.event}/", 1)[1] if page["next"] else ""
    return count


def _people(db: Database) -> dict[str, Registration]:
    with db.read() as session:
        rows = session.scalars(select(Registration)).all()
        for row in rows:
            _ = row.days, row.sessions, row.category
        return {f"{r.first_name} {r.last_name}": r for r in rows}


def test_connect_creates_the_event_and_downloads_every_position(
    pretix: PretixServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert _connect(pretix, tmp_path / "desk.db") == 0
    out, err = capsys.readouterr()
    assert pretix.token not in out + err
    assert "Connected: Fachtag Zukunft der Arbeit" in out
    assert "Check-in list: Einlass" in out
    assert "'Tagungsband': 1 position is not a ticket for a person" in out

    db = open_database(tmp_path / "desk.db")
    event = EventService(db).get(pretix.event)
    assert [d.date for d in event.days] == [TUE, WED]
    assert event.venue == "Tagungszentrum Görlitz"
    assert event.workshop_label == "Zukunftswerkstatt"
    assert sorted(s.title for s in event.workshops) == [
        "Digitale Verwaltung", "Fachkräfte sichern", "Gute Arbeit im Wandel",
        "Künstliche Intelligenz im Alltag", "Netzwerke vor Ort",
    ]  # fmt: skip
    assert event.category_by_key("speaker") is not None

    people = _people(db)
    assert len(people) == _people_in_pretix(pretix) >= SHOP_PEOPLE
    juergen = people["Jürgen Müller"]
    shop = pretix.shop["orders"]
    assert (juergen.title, juergen.organisation, juergen.email) == (
        "Dr.", "Jobcenter Görlitz", "juergen.mueller@example.org")  # fmt: skip
    assert juergen.code == shop["Jürgen Müller"]["secret"]
    assert juergen.order_code == shop["Jürgen Müller"]["order"]
    assert [s.title for s in juergen.sessions] == ["Digitale Verwaltung"]
    assert [d.date for d in juergen.days] == [TUE, WED]
    renee = people["Renée von Weizsäcker"]
    assert (renee.title, renee.category.key if renee.category else None) == ("Prof. Dr.", "speaker")
    assert [d.date for d in people["Zoë Straßer"].days] == [TUE]
    assert [d.date for d in people["Łukasz Nowak"].days] == [WED]
    assert people["Clara Storniert"].status.value == "cancelled"
    assert people["Paul Offen"].status.value == "unpaid"  # pending: the list does not admit unpaid
    assert people["Paul Offen"].extra["pretix_status"] == "pending"
    assert people["Anna Schäfer"].order_code == people["Bernd Schäfer"].order_code

    secrets = tmp_path / "secrets" / "secrets.json"
    assert pretix.token in json.loads(secrets.read_text()).values()
    assert stat.S_IMODE(os.stat(secrets).st_mode) == 0o600
    with db.read() as session:
        connection = session.scalars(select(PretixConnection)).one()
        assert pretix.token not in json.dumps([connection.url, connection.token_name, connection.resume_url])
    db.dispose()


def test_the_desk_admits_by_ticket_secret_and_by_order_code_and_refuses_the_cancelled(
    pretix: PretixServer, tmp_path: Path
):
    from checkin.domain.checkin_service import CheckInService

    assert _connect(pretix, tmp_path / "desk.db") == 0
    db = open_database(tmp_path / "desk.db")
    event = EventService(db).get(pretix.event)
    desk = CheckInService(db, event, desk="pretix-test")
    shop = pretix.shop["orders"]
    assert desk.scan(shop["Jürgen Müller"]["secret"], day=TUE).kind == VerdictKind.CHECKED_IN
    by_order = desk.scan(shop["Ångström Öztürk-Weiß"]["order"], day=TUE)
    assert by_order.kind == VerdictKind.CHECKED_IN
    assert by_order.person is not None
    assert by_order.person.last_name == "Öztürk-Weiß"
    assert desk.scan(shop["Clara Storniert"]["secret"], day=TUE).kind == VerdictKind.CANCELLED
    assert desk.scan(shop["Zoë Straßer"]["secret"], day=WED).kind == VerdictKind.NOT_REGISTERED_TODAY
    db.dispose()


def test_connecting_again_changes_nothing_and_a_change_in_pretix_arrives_incrementally(
    pretix: PretixServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert _connect(pretix, tmp_path / "desk.db", "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert first["download"]["added"] == _people_in_pretix(pretix)
    assert _connect(pretix, tmp_path / "desk.db", "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["download"]["added"], again["download"]["updated"]) == (0, 0)

    company = f"Landkreis {uuid.uuid4().hex[:8]}"
    # The shop's order of two (other tests add orders, so it need not be on the first page of all).
    team = pretix.event_api(f"orders/{pretix.shop['orders']['team']['order']}/")
    anna = next(
        p for p in team["positions"] if (p.get("attendee_name_parts") or {}).get("given_name") == "Anna"
    )
    pretix.event_api(f"orderpositions/{anna['id']}/", "PATCH", {"company": company})
    assert main(["--db", str(tmp_path / "desk.db"), "pretix", "download", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["updated"] == 1
    assert result["positions"] == 3  # only the changed order was read (modified_since): 2 tickets, 1 add-on
    db = open_database(tmp_path / "desk.db")
    assert _people(db)["Anna Schäfer"].organisation == company
    db.dispose()


def test_an_interrupted_first_download_resumes_where_it_stopped(
    pretix: PretixServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(client_module, "PAGE_SIZE", 2)  # several pages from the small shop
    db = open_database(tmp_path / "desk.db")
    service = PretixService(db)
    with pytest.raises(Cancelled):
        service.connect(pretix.url, pretix.token, pretix.organizer, pretix.event,
                        progress=RecordingProgress(cancel_after=2))  # fmt: skip
    total = _people_in_pretix(pretix)
    with db.read() as session:
        partial = session.scalar(select(func.count(Registration.id)))
        resume = session.scalars(select(PretixConnection.resume_url)).one()
    assert 0 < partial < total
    assert resume is not None
    assert "page=3" in resume
    result = service.download(pretix.event)
    assert result.added == total - partial
    with db.read() as session:
        assert session.scalar(select(func.count(Registration.id))) == total
        assert session.scalars(select(PretixConnection.resume_url)).one() is None
    db.dispose()


@pytest.mark.parametrize(
    ("args", "token", "message"),
    [
        (("--event", "no-such-event"), None, "has no event 'no-such-event'"),
        ((), "w" * 64, "does not accept the API token"),
        (("--list", "Hintereingang"), None, "has no check-in list 'Hintereingang'"),
    ],
)
def test_bad_input_is_a_sentence_and_the_local_copy_stays_unchanged(
    pretix: PretixServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], args, token, message
):
    argv = ["--db", str(tmp_path / "desk.db"), "pretix", "connect", "--url", pretix.url,
            "--token", token or pretix.token, "--organizer", pretix.organizer]  # fmt: skip
    argv += list(args) if "--event" in args else ["--event", pretix.event, *args]
    assert main(argv) == 1
    _out, err = capsys.readouterr()
    assert message in err
    assert pretix.token not in err
    db = open_database(tmp_path / "desk.db")
    assert EventService(db).list_events() == []
    db.dispose()


def test_connecting_an_event_loaded_from_its_file_keeps_it_and_maps_by_title(
    pretix: PretixServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    event_file = tmp_path / "fachtag.toml"
    event_file.write_text(
        """
[event]
name = "Fachtag (Datei)"
slug = "mein-fachtag"
workshop_label = "Zukunftswerkstatt"
[[days]]
date = 2030-09-17
label = "Tag 1"
[[days]]
date = 2030-09-18
[[categories]]
key = "teilnahme"
name = "Teilnehmende"
default = true
[[categories]]
key = "vortrag"
name = "Referierende"
aliases = ["Referent/in"]
[[sessions]]
key = "ws1"
title = "Digitale Verwaltung"
kind = "workshop"
day = 2030-09-17
start = "13:00"
end = "15:00"
capacity = 30
""",
        encoding="utf-8",
    )
    db_path = tmp_path / "desk.db"
    assert main(["--db", str(db_path), "event", "load", str(event_file)]) == 0
    connect = ["pretix", "connect", "--url", pretix.url, "--token", pretix.token]
    connect += ["--organizer", pretix.organizer, "--event", pretix.event]
    assert main(["--db", str(db_path), "--event", "mein-fachtag", *connect]) == 0
    capsys.readouterr()
    db = open_database(db_path)
    event = EventService(db).get("mein-fachtag")
    assert [d.label for d in event.days] == ["Tag 1", ""]
    assert [c.key for c in event.categories] == ["teilnahme", "vortrag"]  # no second speaker category
    ws1 = event.session_by_key("ws1")
    assert ws1 is not None
    assert (ws1.capacity, ws1.start) == (30, dt.time(13, 0))
    assert len(event.workshops) == 5  # ws1 from the file, four more from pretix's options
    people = _people(db)
    assert [s.key for s in people["Jürgen Müller"].sessions] == ["ws1"]
    assert people["Renée von Weizsäcker"].category.key == "vortrag"  # type: ignore[union-attr]
    assert people["Jürgen Müller"].category.key == "teilnahme"  # type: ignore[union-attr]

    assert main(["--db", str(db_path), "--event", "mein-fachtag", "pretix", "mapping", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    item = next(r for r in rows if r["source_kind"] == "item" and r["label"] == "Teilnahme")
    assert main(["--db", str(db_path), "--event", "mein-fachtag", "pretix", "map", "item",
                 str(item["source_id"]), "category", "vortrag"]) == 0  # fmt: skip
    assert main(["--db", str(db_path), "--event", "mein-fachtag", "pretix", "download"]) == 0
    db.dispose()
    db = open_database(db_path)
    assert _people(db)["Jürgen Müller"].category.key == "vortrag"  # type: ignore[union-attr]
    db.dispose()
