"""The hub goes away in the middle of an upload (its server processes end, as in a restart).

The shared PostgreSQL server must stay up for everyone else, so the test ends only this
desk's server processes (``pg_terminate_backend``), which is what a desk sees of a restart:
its connection dies mid-transaction, the hub rolls the batch back, the next sync resends.
"""

from __future__ import annotations

import threading
import time
import uuid

from sqlalchemy import create_engine, func, select, text

from checkin.domain.models import SyncFact
from checkin.sync.replica import status
from tests.helpers.sync_hub import HubForTests
from tests.helpers.tcp_proxy import proxy_to


def _terminate(admin_url: str, application_name: str) -> int:
    engine = create_engine(admin_url)
    try:
        with engine.begin() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :n"
                    ),
                    {"n": application_name},
                ).all()
            )
    finally:
        engine.dispose()


def test_hub_restart_mid_upload_every_fact_arrives_once(hub: HubForTests, make_desk):
    people = hub.people.add_many(400)
    name = f"desk-{uuid.uuid4().hex[:8]}"
    with proxy_to(hub.url) as proxy:
        url = proxy.url_for(hub.url) + f"&application_name={name}"
        a = make_desk("A", connect_url=url)
        service = a.service()
        for person in people:
            service.scan(person.code, day=service.event.days[0].date)
        a.worker._batch = 25
        proxy.delay(0.002)
        results = []
        thread = threading.Thread(target=lambda: results.append(a.worker.run_once()[0]))
        thread.start()
        deadline = time.monotonic() + 60
        while hub.log_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        killed = _terminate(hub.url, name)
        thread.join(timeout=60)
        proxy.restore()
        assert killed >= 1
        assert results[0].online is False  # the upload broke off
        assert 0 < hub.log_count() < 400
        assert results[0].queued == 400 - hub.log_count()
        final, _ = a.worker.run_once()
    assert final.online
    assert final.queued == 0
    assert hub.log_count() == 400
    with hub.db.read() as session:
        assert session.scalar(select(func.count()).select_from(SyncFact)) == 400
    assert status(a.db).conflicts == 0
