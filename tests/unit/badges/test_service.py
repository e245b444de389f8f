"""BadgeService: selections, German sorting, the print log, streamed batches and cancel."""

from __future__ import annotations

import datetime as dt

import pytest
from badge_helpers import pdf_reader

from checkin.badges.service import BadgeSelection, BadgeSelectionError, BadgeService
from checkin.domain.models import BadgePrint, Registration, registration_days
from checkin.domain.progress import Cancelled, RecordingProgress
from tests.helpers import NewPerson, People

SORT_PEOPLE = (
    NewPerson("Zoe", "Zander", organisation="B-Stadt"),
    NewPerson("Anna", "Ärger", organisation="A-Kreis"),
    NewPerson("Bernd", "Abel", organisation="C-Land"),
    NewPerson("Otto", "Öztürk"),
    NewPerson("Olga", "Oswald"),
    NewPerson("Sven", "Strauß"),
    NewPerson("Stefan", "Strausberg"),
    NewPerson("anna", "ärger", organisation="A-Kreis"),
    NewPerson("Carl", "abel"),
)


def names(service: BadgeService, ids: list[int]) -> list[str]:
    with service.db.session_factory() as session:
        by_id = {r.id: f"{r.first_name} {r.last_name}" for r in session.query(Registration)}
    return [by_id[i] for i in ids]


def test_sort_by_last_name_uses_german_collation(db, demo_event):
    People(db, demo_event).add_all(SORT_PEOPLE)
    service = BadgeService(db, demo_event)
    assert names(service, service.select_ids(BadgeSelection())) == [
        "Bernd Abel",
        "Carl abel",
        "Anna Ärger",
        "anna ärger",
        "Olga Oswald",
        "Otto Öztürk",
        "Stefan Strausberg",
        "Sven Strauß",
        "Zoe Zander",
    ]


def test_name_particles_sort_under_the_family_name_as_in_the_exports(db, demo_event):
    People(db, demo_event).add_all(
        [
            NewPerson("Richard", "von Weizsäcker"),
            NewPerson("Anna", "Vogel"),
            NewPerson("Karl", "Freiherr von Aretin"),
            NewPerson("Wilhelm", "Wagner"),
        ]
    )
    service = BadgeService(db, demo_event)
    assert names(service, service.select_ids(BadgeSelection())) == [
        "Karl Freiherr von Aretin",
        "Anna Vogel",
        "Wilhelm Wagner",
        "Richard von Weizsäcker",
    ]


def test_sort_by_organisation_then_name(db, demo_event):
    People(db, demo_event).add_all(SORT_PEOPLE[:3])
    service = BadgeService(db, demo_event)
    ids = service.select_ids(BadgeSelection(), sort="organisation")
    assert names(service, ids) == ["Anna Ärger", "Zoe Zander", "Bernd Abel"]


def test_unknown_sort_order_is_refused(db, demo_event):
    with pytest.raises(BadgeSelectionError, match="Sortierung"):
        BadgeService(db, demo_event).select_ids(BadgeSelection(), sort="shoe_size")


def test_selection_by_category_code_and_status(db, demo_event):
    people = People(db, demo_event).add_all(
        (
            NewPerson("A", "Speaker", category="speaker"),
            NewPerson("B", "Press", category="press"),
            NewPerson("C", "Gone", cancelled=True),
            NewPerson("D", "Guest"),
        ),
    )
    service = BadgeService(db, demo_event)
    assert service.select_ids(BadgeSelection(category_keys=("Referent/in", "press"))) == [
        people[1][0],
        people[0][0],
    ]
    assert service.select_ids(BadgeSelection(codes=(people[3][1].lower(),))) == [people[3][0]]
    assert people[2][0] not in service.select_ids(BadgeSelection())
    assert people[2][0] in service.select_ids(BadgeSelection(include_cancelled=True))


def test_unknown_code_or_category_or_day_is_a_clear_error(db, demo_event, hard_people):
    service = BadgeService(db, demo_event)
    with pytest.raises(BadgeSelectionError, match="XXXXXXXXXXXXXX"):
        service.select_ids(BadgeSelection(codes=("XXXXXXXXXXXXXX",)))
    with pytest.raises(BadgeSelectionError, match="Kategorie"):
        service.select_ids(BadgeSelection(category_keys=("VIP",)))
    with pytest.raises(BadgeSelectionError, match=r"01\.01\.2024"):
        service.select_ids(BadgeSelection(day=dt.date(2024, 1, 1)))
    with pytest.raises(BadgeSelectionError):
        service.render_badges([999_999])


def test_selection_by_day_includes_people_without_days(db, demo_event):
    people = People(db, demo_event).add_all(
        (
            NewPerson("A", "Thursday", days=()),
            NewPerson("B", "Friday", days=()),
            NewPerson("C", "Always", days=()),
        )
    )
    with db.session_factory.begin() as session:
        session.execute(
            registration_days.insert(),
            [
                {"registration_id": people[0][0], "day_id": demo_event.days[0].id},
                {"registration_id": people[1][0], "day_id": demo_event.days[1].id},
            ],
        )
    service = BadgeService(db, demo_event)
    friday = service.select_ids(BadgeSelection(day=dt.date(2024, 9, 20)))
    assert sorted(friday) == sorted([people[1][0], people[2][0]])


def test_print_log_and_unprinted_selection(db, demo_event, hard_people, clock):
    service = BadgeService(db, demo_event, desk="Tisch 2", clock=clock)
    first, second = hard_people[0][0], hard_people[1][0]
    assert service.last_print(first) is None
    assert service.printed_ids() == set()
    service.record_print([first], layout="a6", reason="single")
    clock.advance(minutes=5)
    service.record_print([first], layout="cr80", reason="reprint")
    info = service.last_print(first)
    assert info is not None
    assert info.reason == "reprint"
    assert info.layout == "cr80"
    assert info.desk == "Tisch 2"
    assert info.count == 2
    assert info.at == clock()
    assert service.printed_ids() == {first}
    unprinted = service.select_ids(BadgeSelection(unprinted_only=True))
    assert first not in unprinted
    assert second in unprinted
    with pytest.raises(ValueError, match="reason"):
        service.record_print([first], layout="a6", reason="because")


def test_render_badges_does_not_log(db, demo_event, hard_people):
    service = BadgeService(db, demo_event)
    service.render_badges([hard_people[0][0]])
    assert service.printed_ids() == set()


def test_batch_streams_many_pages_and_logs_them(db, demo_event, tmp_path):
    people = People(db, demo_event).add_all(
        [NewPerson(f"Vorname{i}", f"Nachname{i:04d}") for i in range(450)]
    )
    service = BadgeService(db, demo_event, desk="batch-desk")
    progress = RecordingProgress()
    out = tmp_path / "all.pdf"
    count = service.render_batch(out, BadgeSelection(), layout="a6", progress=progress)
    assert count == 450
    reader = pdf_reader(out)
    assert len(reader.pages) == 450
    assert "Nachname0000" in reader.pages[0].extract_text()
    assert "Nachname0449" in reader.pages[449].extract_text()
    assert "Nachname0200" in reader.pages[200].extract_text()
    assert progress.updates[-1][:2] == (450, 450)
    assert len(progress.updates) >= 3  # several streamed parts
    assert service.printed_ids() == {registration_id for registration_id, _ in people}
    with db.session_factory() as session:
        reasons = {p.reason for p in session.query(BadgePrint)}
    assert reasons == {"batch"}


def test_batch_on_sheets_with_double_sided_backs(db, demo_event, hard_people, tmp_path):
    out = tmp_path / "sheets.pdf"
    service = BadgeService(db, demo_event)
    count = service.render_batch(out, BadgeSelection(), layout="a4-10x90x54", double_sided=True, record=False)
    assert count == len(hard_people)
    assert len(pdf_reader(out).pages) == 2  # 10 badges: one front, one back
    assert service.printed_ids() == set()


def test_cancelled_batch_logs_nothing_and_leaves_no_file(db, demo_event, tmp_path):
    People(db, demo_event).add_all([NewPerson("X", f"Y{i}") for i in range(450)])
    service = BadgeService(db, demo_event)
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        service.render_batch(out, BadgeSelection(), progress=RecordingProgress(cancel_after=2))
    assert not out.exists()
    assert service.printed_ids() == set()


def test_empty_selection_is_a_clear_error(db, demo_event, tmp_path):
    service = BadgeService(db, demo_event)
    with pytest.raises(BadgeSelectionError, match="Keine Anmeldung"):
        service.render_batch(tmp_path / "none.pdf", BadgeSelection())
    assert not (tmp_path / "none.pdf").exists()


def test_desk_prints_while_a_batch_runs_in_another_thread(db, demo_event, hard_people, tmp_path):
    import threading

    service = BadgeService(db, demo_event)
    errors: list[BaseException] = []
    outputs: list[bytes] = []

    def desk() -> None:
        try:
            for registration_id, _code in hard_people * 3:
                outputs.append(service.render_badges([registration_id]))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=desk) for _ in range(3)]
    for thread in threads:
        thread.start()
    count = service.render_batch(tmp_path / "batch.pdf", BadgeSelection(), layout="a7", record=False)
    for thread in threads:
        thread.join()
    assert not errors
    assert count == len(hard_people)
    assert len(outputs) == 3 * 3 * len(hard_people)
    for pdf in outputs[::7]:
        assert len(pdf_reader(pdf).pages) == 1
    assert len(pdf_reader(tmp_path / "batch.pdf").pages) == len(hard_people)


def test_selection_by_many_codes(db, demo_event):
    people = People(db, demo_event).add_all([NewPerson(f"V{i}", f"N{i:04d}") for i in range(950)])
    service = BadgeService(db, demo_event)
    codes = tuple(code for _, code in people)
    assert sorted(service.select_ids(BadgeSelection(codes=codes))) == sorted(i for i, _ in people)
    assert len(service.badge_data([i for i, _ in people])) == 950
    with pytest.raises(BadgeSelectionError, match="ZZZZ"):
        service.select_ids(BadgeSelection(codes=(*codes, "ZZZZZZZZZZZZZZ")))


def test_cancel_keeps_an_existing_file_and_leaves_no_partial_file(db, demo_event, tmp_path):
    People(db, demo_event).add_all([NewPerson("X", f"Y{i}") for i in range(450)])
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "badges.pdf"
    out.write_bytes(b"the previous print run")
    with pytest.raises(Cancelled):
        BadgeService(db, demo_event).render_batch(
            out, BadgeSelection(), progress=RecordingProgress(cancel_after=2)
        )
    assert out.read_bytes() == b"the previous print run"
    assert [p.name for p in folder.iterdir()] == ["badges.pdf"]


def test_start_at_in_a_streamed_batch_fills_every_later_sheet(db, demo_event, tmp_path):
    """More badges than one streamed part (200): the first part must end where a sheet ends."""
    People(db, demo_event).add_all([NewPerson(f"Vorname{i:03d}", f"Nachname{i:03d}") for i in range(205)])
    out = tmp_path / "batch.pdf"
    count = BadgeService(db, demo_event).render_batch(
        out, BadgeSelection(), layout="a4-4xa6", start_at=3, record=False
    )
    assert count == 205
    reader = pdf_reader(out)
    # Labels 1 and 2 of the first sheet stay empty: 207 slots, 52 sheets, no half-empty sheet inside.
    assert len(reader.pages) == 52
    assert reader.pages[0].extract_text().count("Vorname") == 2
    assert all(page.extract_text().count("Vorname") == 4 for page in reader.pages[1:-1])
