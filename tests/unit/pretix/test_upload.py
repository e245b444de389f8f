"""The pretix link's upload decisions, with pretix's answers scripted (the real pretix: integration)."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import PretixConnection, PretixPosition, SyncOutbox
from checkin.domain.secrets import store_secret
from checkin.pretix.client import PretixClient
from checkin.pretix.desk import attach_desk, pretix_hub_url
from checkin.pretix.upload import FORCED_SUFFIX, PretixLink
from checkin.sync.hub import HubUnavailable
from checkin.sync.replica import list_conflicts, status
from checkin.sync.worker import SyncWorker
from tests.helpers import People

URL = "https://pretix.example"


class Answer:
    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self._raw = json.dumps(body).encode()
        self.headers: dict[str, str] = {}

    def read(self) -> bytes:
        return self._raw

    def __enter__(self) -> Answer:
        return self

    def __exit__(self, *args: object) -> None:
        return None


class ScriptedPretix:
    """Answers redeem calls from a list of (status, body); records what was sent."""

    def __init__(self, answers: list[tuple[int, dict[str, Any]]]) -> None:
        self.answers = answers
        self.sent: list[dict[str, Any]] = []

    def __call__(self, request: urllib.request.Request, timeout: float) -> Answer:
        self.sent.append(json.loads(request.data or b"{}"))
        status, body = self.answers.pop(0) if self.answers else (503, {})
        if status >= 400:
            raise urllib.error.HTTPError(
                request.full_url, status, "x", {}, io.BytesIO(json.dumps(body).encode())
            )  # type: ignore[arg-type]
        return Answer(status, body)


@pytest.fixture
def desk_db(db: Database, demo_event: EventInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A pretix desk with one check-in queued (offline); returns its ticket secret."""
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets.json"))
    person = People(db, demo_event).add()
    store_secret("t", "token")
    with db.write() as session:
        session.add(PretixConnection(event_id=demo_event.id, url=URL, organizer="o", event_slug="e",
                                     checkin_list_id=1, token_name="t"))  # fmt: skip
        session.add(
            PretixPosition(event_id=demo_event.id, position_id=7, registration_id=person.registration_id)
        )
    attach_desk(db, demo_event.id, pretix_hub_url(URL, "o", "e"), "Einlass")
    CheckInService(db, demo_event, desk="Einlass").scan(person.code, day=demo_event.days[0].date)
    return person.code


def _upload(db: Database, pretix: ScriptedPretix) -> None:
    link = PretixLink(db, workers=2, client=PretixClient(URL, "token", opener=pretix))
    SyncWorker(db, link=link).upload()


def _queued(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).where(SyncOutbox.acked == 0)) or 0)


def test_a_refused_offline_check_in_is_forced_under_its_twin_nonce_and_kept_as_a_conflict(
    db: Database, desk_db: str
):
    pretix = ScriptedPretix([(400, {"status": "error", "reason": "unpaid"}), (201, {"status": "ok"})])
    _upload(db, pretix)
    first, forced = pretix.sent
    assert (first["secret"], first["force"], forced["force"]) == (desk_db, False, True)
    assert forced["nonce"] == first["nonce"] + FORCED_SUFFIX
    assert [(c.rejected, c.reason) for c in list_conflicts(db)] == [(False, "unpaid")]
    assert _queued(db) == 0


@pytest.mark.parametrize("status_code", [429, 503])
def test_not_now_is_tried_again_and_never_a_conflict(db: Database, desk_db: str, status_code: int):
    pretix = ScriptedPretix([(status_code, {}), (201, {"status": "ok"})])
    _upload(db, pretix)
    assert len(pretix.sent) == 2
    assert (status(db).queued, status(db).conflicts) == (0, 0)


def test_pretix_saying_not_now_for_long_ends_the_round_and_the_check_in_waits(db: Database, desk_db: str):
    pretix = ScriptedPretix([(429, {})] * 10)
    with pytest.raises(HubUnavailable):
        _upload(db, pretix)
    assert (status(db).queued, status(db).conflicts) == (1, 0)
