from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checkin.domain.db import Database
from checkin.domain.eventfile import EventFileError, load_event_file
from checkin.domain.events import EventNotFoundError, EventService
from checkin.resources import demo_event_file


def test_demo_event_holds_the_seed_programme(demo_event):
    assert demo_event.name == "Tag der kommunalen Jobcenter 2024"
    assert [d.date for d in demo_event.days] == [dt.date(2024, 9, 19), dt.date(2024, 9, 20)]
    assert demo_event.venue == "Tagungswerk"
    assert demo_event.address == "Lindenstr. 85, 10969 Berlin"
    workshops = demo_event.workshops
    assert len(workshops) == 5
    assert {w.title.split(": ", 1)[1] for w in workshops} == {
        "Ganzheitliche Digitalisierung",
        "Interkommunale Zusammenarbeit",
        "Schnittstellenmanagement FbW/Reha",
        "BASS-Studiengang der Hochschule Fulda",
        "IT-Sicherheit",
    }
    assert all(a.overlaps(b) for a in workshops for b in workshops)
    assert demo_event.session_by_key("keynote").speakers == "Prof. Dr. Ronnie Schöb"
    assert demo_event.date_range_text() == "19./20.09.2024"
    assert demo_event.default_category.key == "participant"


def test_reloading_keeps_ids_and_generated_secret(db: Database, tmp_path: Path):
    text = demo_event_file().read_text(encoding="utf-8").replace('secret = "demo-secret', '# s = "x')
    path = tmp_path / "event.toml"
    path.write_text(text, encoding="utf-8")
    service = EventService(db)
    first = service.load_definition(load_event_file(path))
    second = service.load_definition(load_event_file(path))
    assert len(first.secret) >= 16
    assert second.secret == first.secret
    assert [s.id for s in second.sessions] == [s.id for s in first.sessions]


def test_today_uses_event_time_zone(demo_event):
    late_evening_utc = dt.datetime(2024, 9, 19, 22, 30, tzinfo=dt.UTC)  # 00:30 in Berlin
    assert demo_event.today(late_evening_utc).date == dt.date(2024, 9, 20)
    assert demo_event.today(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "[event]"),
        ("[event]\nname='X'\n", "[[days]]"),
        ("[event]\nname='X'\n[[days]]\ndate='soon'\n", "date"),
        ("[event]\nname='X'\ntimezone='Mars/Base'\n[[days]]\ndate=2024-01-01\n", "Mars/Base"),
        (
            "[event]\nname='X'\n[[days]]\ndate=2024-01-01\n[[sessions]]\nkey='a'\ntitle='A'\nday=2024-02-02\n",
            "2024-02-02",
        ),
        ("not toml [", "TOML"),
    ],
)
def test_bad_event_files_are_refused_with_a_reason(tmp_path: Path, text: str, fragment: str):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EventFileError, match=r".*") as info:
        load_event_file(path)
    assert fragment in str(info.value)


def test_no_event_yet_says_what_to_do(db: Database):
    with pytest.raises(EventNotFoundError, match="checkin demo"):
        EventService(db).get()
