"""The composition root: first start creates the demo, later starts reuse database and settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from checkin.app import Deferred, build_desk, build_parser
from checkin.ui.settings import SettingsStore


@pytest.fixture
def started(qtbot, tmp_path: Path):
    desks = []

    def start(*extra: str):
        args = build_parser().parse_args(
            ["--db", str(tmp_path / "desk.db"), "--settings", str(tmp_path / "desk.ini"), *extra]
        )
        desk = build_desk(QApplication.instance(), args)
        qtbot.addWidget(desk.window)
        desks.append(desk)
        return desk

    yield start
    for desk in desks:
        desk.window.language.remove()  # Qt's German stays installed in the application otherwise
        desk.window.close()
        desk.window.context.tasks.wait_until_idle()
        desk.db.dispose()


def test_first_start_creates_the_demo_and_focuses_the_scan_field(started, tmp_path):
    desk = started("--desk", "Theke Süd", "--lang", "de")
    window = desk.window
    assert window.context.event.slug == "tag-der-kommunalen-jobcenter-2024"
    assert window.focusWidget() is window.checkin_panel.scan_field
    assert window.context.checkin.desk == "Theke Süd"
    # the demo lies in the past: the first event day, with the banner
    assert not window.banner.isHidden()
    assert "19.09.2024" in window.banner.text()
    settings = SettingsStore(tmp_path / "desk.ini").load()
    assert settings.event_slug == "tag-der-kommunalen-jobcenter-2024"
    assert settings.desk_name == "Theke Süd"
    assert window.context.search.search("mueller")  # the demo has people called Müller


def test_second_start_reuses_the_database_without_migrating(started, tmp_path, monkeypatch):
    first = started()
    count = len(first.window.context.search.search("mueller", limit=50))
    first.window.close()
    first.window.context.tasks.wait_until_idle()
    first.db.dispose()

    import checkin.domain.migrate as migrate

    def fail(_engine):
        raise AssertionError("migrations ran although the schema is current")

    monkeypatch.setattr(migrate, "upgrade_to_head", fail)
    second = started()
    assert len(second.window.context.search.search("mueller", limit=50)) == count


def test_a_remembered_event_missing_from_the_database_falls_back(started, tmp_path):
    store = SettingsStore(tmp_path / "desk.ini")
    settings = store.load()
    settings.event_slug = "gibt-es-nicht"
    store.save(settings)
    desk = started()
    assert desk.window.context.event.slug == "tag-der-kommunalen-jobcenter-2024"


def test_an_event_asked_for_that_is_missing_is_an_error(started, tmp_path):
    from checkin.domain.events import EventNotFoundError

    started().window.close()
    with pytest.raises(EventNotFoundError):
        started("--event", "gibt-es-nicht")


def test_deferred_makes_the_service_once():
    made = []

    class Service:
        desk = "a"

        def hello(self) -> str:
            return "hi"

    def factory() -> Service:
        made.append(1)
        return Service()

    deferred = Deferred(factory)
    assert made == []
    deferred.warm_up()
    assert deferred.hello() == "hi"
    deferred.desk = "b"
    assert deferred.service().desk == "b"
    assert made == [1]
