"""The pretix connection dialog and its mapping page against the real pretix (.ci/pretix-server).

Each test has its own local database; the pretix shop is only read (and the mapping test reads
the shop's "Referent/in" person), so the tests run in any order against the same server.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from sqlalchemy import func, select

from checkin import i18n
from checkin.domain.db import Database
from checkin.domain.eventfile import parse_event_definition
from checkin.domain.events import EventInfo, EventService
from checkin.domain.models import Registration
from checkin.domain.search import SearchIndex
from checkin.ui.context import DeskContext
from checkin.ui.pretix_dialog import PretixDialog
from checkin.ui.search_popup import SearchIndexKeeper
from checkin.ui.tasks import TaskRunner
from tests.helpers.desk import build_desk
from tests.helpers.keys import press, type_text
from tests.helpers.pretix import PretixServer, pretix_server


@pytest.fixture
def pretix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PretixServer:
    server = pretix_server()
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets" / "secrets.json"))
    i18n.set_language("en")
    yield server
    i18n.set_language("de")


@pytest.fixture
def context(qtbot, db: Database, demo_event: EventInfo, clock) -> DeskContext:
    """A desk over the demo event whose tasks run on a real thread pool (as in the app)."""
    runner = TaskRunner(show_progress=False)
    yield build_desk(db, demo_event, clock, desk="Theke 1", tasks=runner)
    runner.cancel_all()
    runner.wait_until_idle()


@pytest.fixture
def own_context(qtbot, db: Database, clock) -> DeskContext:
    """A desk over a local event of the same dates as pretix's (made by hand, not yet connected)."""
    definition = parse_event_definition(
        {
            "event": {"slug": "mein-fachtag", "name": "Fachtag (lokal)"},
            "days": [{"date": "2030-09-17"}, {"date": "2030-09-18"}],
            "categories": [{"key": "teilnahme", "name": "Teilnehmende", "default": True}],
        },
        source="test",
    )
    event = EventService(db).load_definition(definition)
    runner = TaskRunner(show_progress=False)
    yield build_desk(db, event, clock, desk="Theke 1", tasks=runner)
    runner.cancel_all()
    runner.wait_until_idle()


def _dialog(qtbot, context: DeskContext) -> PretixDialog:
    dialog = PretixDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def _type(
    qtbot, dialog: PretixDialog, pretix: PretixServer, *, url: str | None = None, token: str | None = None
):
    """Fill the form from the keyboard: Tab from field to field, as a desk without a mouse would."""
    dialog.url_edit.setFocus()
    type_text(dialog.url_edit, url or pretix.url)
    press(dialog.url_edit, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.organizer_edit
    type_text(dialog.organizer_edit, pretix.organizer)
    press(dialog.organizer_edit, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.token_edit
    type_text(dialog.token_edit, token or pretix.token)


def _wait(context: DeskContext) -> None:
    assert context.tasks.wait_until_idle(120_000)


def _registrations(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count(Registration.id))) or 0)


def test_connect_with_a_good_token_from_the_keyboard_and_the_people_can_be_searched(
    qtbot, pretix: PretixServer, own_context: DeskContext, db: Database, tmp_path: Path
):
    context = own_context
    keeper = SearchIndexKeeper(context)
    dialog = _dialog(qtbot, context)
    _type(qtbot, dialog, pretix)
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Password
    dialog.check_button.click()
    _wait(context)
    assert "The token is good" in dialog.status.text()
    assert dialog.event_slug() == pretix.event
    assert dialog.list_combo.currentText() == "Einlass"
    dialog.local_combo.setCurrentIndex(dialog.local_combo.findData(context.event.slug))  # into this event

    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    dialog.connect_button.setFocus()
    press(dialog.connect_button, Qt.Key.Key_Return)
    assert not dialog.connect_button.isEnabled()  # running in the background
    _wait(context)
    timer.stop()
    assert len(ticks) >= 2, "the event loop ran while pretix was asked (the window did not freeze)"

    assert dialog.connected_slug == context.event.slug, dialog.status.text()
    assert dialog.stack.currentIndex() == 1
    assert "Connected: " in dialog.mapping_page.summary.text()
    assert dialog.token_edit.text() == ""
    assert pretix.token not in dialog.status.text() + dialog.mapping_page.summary.text()
    hits = context.search.search("Müller Jobcenter Görlitz")
    assert [h.person.display_name for h in hits][:1] == ["Dr. Jürgen Müller"]
    assert keeper is not None

    # The token went to the secrets store only; opened again, the dialog knows the connection
    # but shows no token, and connecting again works with the stored one.
    secrets = json.loads((tmp_path / "secrets" / "secrets.json").read_text())
    assert pretix.token in secrets.values()
    again = _dialog(qtbot, context)
    assert (again.url_edit.text(), again.organizer_edit.text(), again.event_slug()) == (
        pretix.url,
        pretix.organizer,
        pretix.event,
    )
    assert again.token_edit.text() == ""
    assert again.token_edit.placeholderText() == "stored — leave empty to keep it"
    assert again.local_combo.currentData() == context.event.slug
    again.connect_button.click()
    _wait(context)
    assert again.connected_slug == context.event.slug, again.status.text()
    assert "0 new, 0 changed" in again.mapping_page.summary.text()


def test_a_wrong_token_is_a_sentence_and_changes_nothing(
    qtbot, pretix: PretixServer, context: DeskContext, db: Database
):
    before = (EventService(db).list_events(), _registrations(db))
    dialog = _dialog(qtbot, context)
    _type(qtbot, dialog, pretix, token="w" * 64)
    dialog.event_combo.setEditText(pretix.event)
    press(dialog.token_edit, Qt.Key.Key_Return)  # Enter: the default button, Connect
    _wait(context)
    assert "does not accept the API token" in dialog.status.text()
    assert dialog.stack.currentIndex() == 0
    assert dialog.focusWidget() is dialog.token_edit
    assert dialog.connected_slug is None
    assert (EventService(db).list_events(), _registrations(db)) == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:9", "refused the connection"),
        ("pretix.example.org", "is not a web address of a pretix server"),
    ],
)
def test_a_wrong_address_is_a_sentence_and_changes_nothing(
    qtbot, pretix: PretixServer, context: DeskContext, db: Database, url: str, message: str
):
    before = (EventService(db).list_events(), _registrations(db))
    dialog = _dialog(qtbot, context)
    _type(qtbot, dialog, pretix, url=url)
    dialog.event_combo.setEditText(pretix.event)
    dialog.connect_button.click()
    _wait(context)
    assert message in dialog.status.text()
    assert dialog.focusWidget() is dialog.url_edit
    assert (EventService(db).list_events(), _registrations(db)) == before


def test_a_token_without_permission_for_the_orders_changes_nothing(
    qtbot, pretix: PretixServer, context: DeskContext, db: Database
):
    weak = pretix.shop.get("token_without_permission")
    if not weak:
        pytest.skip("this shop has no token without permission")
    before = (EventService(db).list_events(), _registrations(db))
    dialog = _dialog(qtbot, context)
    _type(qtbot, dialog, pretix, token=weak)
    dialog.event_combo.setEditText(pretix.event)
    dialog.connect_button.click()
    _wait(context)
    assert "no permission" in dialog.status.text()
    assert (EventService(db).list_events(), _registrations(db)) == before


def test_an_unknown_event_is_named_with_the_organizers_events(
    qtbot, pretix: PretixServer, context: DeskContext, db: Database
):
    dialog = _dialog(qtbot, context)
    _type(qtbot, dialog, pretix)
    dialog.event_combo.setEditText("kein-fachtag")
    dialog.connect_button.click()
    _wait(context)
    assert "has no event 'kein-fachtag'" in dialog.status.text()
    assert pretix.event in dialog.status.text()
    assert [slug for slug, _name, _n in EventService(db).list_events()] == [context.event.slug]


def test_change_a_mapping_and_see_it_applied(qtbot, pretix: PretixServer, context: DeskContext, db: Database):
    dialog = _dialog(qtbot, context)
    _type(qtbot, dialog, pretix)
    dialog.event_combo.setEditText(pretix.event)
    dialog.connect_button.click()  # as a new local event, named after pretix's (the default)
    _wait(context)
    assert dialog.connected_slug == pretix.event
    page = dialog.mapping_page
    event = EventService(db).get(pretix.event)
    renee = next(iter(SearchIndex(db, event).search("Weizsäcker"))).person
    assert renee.category_key == "speaker"
    speaker_item = next(
        key for key, row in page.rows.items() if key[0] == "item" and row.label == "Referent/in"
    )
    assert page.current(*speaker_item) == ("category", "speaker")  # the default by name
    assert page.unmapped_label.text() == "Every product, list and question is mapped."
    merch = next(key for key, row in page.rows.items() if key[0] == "item" and row.label == "Tagungsband")
    assert page.current(*merch) == ("ignore", "")

    participant = event.default_category.key
    page.choose(*speaker_item, "category", participant)
    dialog.save_button.click()
    _wait(context)
    assert "Mapping saved and applied" in page.status.text()
    renee = next(iter(SearchIndex(db, EventService(db).get(pretix.event)).search("Weizsäcker"))).person
    assert renee.category_key == participant
    assert page.rows[speaker_item].edited
    assert page.current(*speaker_item) == ("category", participant)


def test_the_dialog_fits_a_netbook_screen_and_the_mapping_scrolls_to_the_focused_box(
    qtbot, pretix: PretixServer, context: DeskContext
):
    dialog = _dialog(qtbot, context)
    _type(qtbot, dialog, pretix)
    dialog.event_combo.setEditText(pretix.event)
    dialog.connect_button.click()
    _wait(context)
    assert dialog.stack.currentIndex() == 1
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1024
    assert hint.height() <= 600
    dialog.resize(1000, 560)
    qtbot.wait(50)
    bar = dialog.mapping_page.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0  # more rows than fit: the page scrolls
    assert bar.value() == 0
    last = list(dialog.mapping_page.combos.values())[-1]
    last.setFocus()  # as Tab would move it there
    qtbot.waitUntil(lambda: bar.value() > 0)


def test_the_file_menu_opens_the_dialog_and_closing_it_changes_nothing(qtbot, main_window, when_modal):
    assert main_window.act_pretix in main_window.menu_file.actions()
    seen: list[str] = []

    def close(dialog: PretixDialog) -> None:
        seen.append(dialog.windowTitle())
        dialog.reject()

    when_modal(PretixDialog, close)
    chosen: list[str] = []
    main_window.event_chosen.connect(chosen.append)
    main_window.act_pretix.trigger()
    assert seen == [i18n.gettext("Connect to pretix")]
    assert chosen == []


class _FaultyPretix(http.server.BaseHTTPRequestHandler):
    """A server at the address typed in that fails as a real one can: by the path's first word."""

    def do_GET(self) -> None:
        mode = self.server.mode  # type: ignore[attr-defined]
        if mode == "slow":
            time.sleep(3)
        body = b"<html>Bad Gateway</html>" if mode == "5xx" else b"<html>not json</html>"
        self.send_response(502 if mode == "5xx" else 200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("5xx", "answered with a server error (502)"),
        ("slow", "did not answer within 1 seconds"),
        ("garbled", "sent an answer that is not valid JSON"),
    ],
)
def test_a_failing_server_is_a_sentence_and_changes_nothing(
    qtbot, pretix: PretixServer, context: DeskContext, db: Database, mode: str, message: str
):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FaultyPretix)
    server.mode = mode  # type: ignore[attr-defined]
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        before = (EventService(db).list_events(), _registrations(db))
        dialog = _dialog(qtbot, context)
        dialog.client_timeout = 1
        _type(qtbot, dialog, pretix, url=f"http://127.0.0.1:{server.server_address[1]}")
        dialog.event_combo.setEditText(pretix.event)
        dialog.connect_button.click()
        _wait(context)
        assert message in dialog.status.text()
        assert "nothing was changed" in dialog.status.text().casefold()
        assert dialog.connect_button.isEnabled()
        assert (EventService(db).list_events(), _registrations(db)) == before
    finally:
        server.shutdown()
        server.server_close()
