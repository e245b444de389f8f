"""Certificates of attendance list exactly what the check-in log shows as attended."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from badge_helpers import embedded_fonts, pdf_reader

from checkin import i18n
from checkin.badges.certificates import CertificateWriter, NoAttendanceError
from checkin.badges.layouts import MM
from checkin.badges.service import BadgeService
from checkin.domain.models import ENTRANCE_SCOPE, CheckInLogEntry, LogAction
from checkin.domain.progress import Cancelled, RecordingProgress
from tests.helpers import NewPerson, People

AT = dt.datetime(2024, 9, 19, 8, 0, tzinfo=dt.UTC)


def log(db, event, registration_id, day_index, session_key=None, seq=0):
    day = event.days[day_index]
    session = event.session_by_key(session_key) if session_key else None
    with db.session_factory.begin() as s:
        s.add(
            CheckInLogEntry(
                event_id=event.id,
                registration_id=registration_id,
                day_id=day.id,
                session_id=session.id if session else None,
                scope=session.id if session else ENTRANCE_SCOPE,
                seq=seq,
                action=LogAction.CHECK_IN if seq % 2 == 0 else LogAction.UNDO,
                at=AT + dt.timedelta(minutes=seq),
            )
        )


@pytest.fixture
def attendance(db, demo_event):
    people = People(db, demo_event).add_all(
        (
            NewPerson("Jürgen", "Müller-Lüdenscheidt", "Dr.", "Jobcenter Märkischer Kreis"),
            NewPerson("Şebnem", "Yılmaz", organisation="Jobcenter Offenbach"),
            NewPerson("Never", "Came"),
            NewPerson("Undone", "Scan"),
        ),
    )
    juergen, sebnem, _never, undone = (registration_id for registration_id, _ in people)
    log(db, demo_event, juergen, 0)
    log(db, demo_event, juergen, 0, "zw-digitalisierung")
    log(db, demo_event, juergen, 1)
    log(db, demo_event, sebnem, 1)
    log(db, demo_event, sebnem, 0, "zw-bass")
    log(db, demo_event, sebnem, 0, "zw-bass", seq=1)  # undone: she left the wrong room
    log(db, demo_event, undone, 0)
    log(db, demo_event, undone, 0, seq=1)
    return people


def test_only_people_who_attended_get_a_certificate(db, demo_event, attendance):
    data = CertificateWriter(db, demo_event).attendance()
    assert [c.name for c in data] == ["Dr. Jürgen Müller-Lüdenscheidt", "Şebnem Yılmaz"]
    juergen, sebnem = data
    assert [d.date for d in juergen.days] == [dt.date(2024, 9, 19), dt.date(2024, 9, 20)]
    assert [w.key for w in juergen.workshops] == ["zw-digitalisierung"]
    # Her only Thursday check-in (a workshop) was undone: Friday alone counts.
    assert [d.date for d in sebnem.days] == [dt.date(2024, 9, 20)]
    assert sebnem.workshops == ()


def test_certificate_pdf_in_german(db, demo_event, attendance, tmp_path):
    out = tmp_path / "certificates.pdf"
    progress = RecordingProgress()
    count = BadgeService(db, demo_event).render_certificates(out, progress=progress)
    assert count == 2
    reader = pdf_reader(out)
    assert len(reader.pages) == 2
    page = reader.pages[0]
    assert float(page.mediabox.width) / MM == pytest.approx(210, abs=0.1)
    assert float(page.mediabox.height) / MM == pytest.approx(297, abs=0.1)
    text = page.extract_text()
    for expected in (
        "Teilnahmebescheinigung",
        "Dr. Jürgen Müller-Lüdenscheidt",
        "Tag der kommunalen Jobcenter 2024",
        "19./20.09.2024",
        "Tagungswerk",
        "Donnerstag, 19.09.2024",
        "Freitag, 20.09.2024",
        "Zukunftswerkstatt 1: Ganzheitliche Digitalisierung",
        "Berlin, den 20.09.2024",
    ):
        assert expected in text
    assert "BASS" not in reader.pages[1].extract_text()
    assert all(embedded_fonts(reader).values())
    assert progress.updates[-1][:2] == (2, 2)


def test_certificate_in_english(db, demo_event, attendance):
    i18n.set_language("en")
    pdf = CertificateWriter(db, demo_event).render(attendance[1][0])
    text = pdf_reader(pdf).pages[0].extract_text()
    assert "Certificate of attendance" in text
    assert "Şebnem Yılmaz" in text
    assert "Friday, 20 September 2024" in text


def test_selected_people_who_did_not_attend_get_none(db, demo_event, attendance, tmp_path):
    service = BadgeService(db, demo_event)
    ids = [attendance[0][0], attendance[2][0]]
    assert service.render_certificates(tmp_path / "two.pdf", ids) == 1
    with pytest.raises(NoAttendanceError, match="eingecheckt"):
        service.render_certificates(tmp_path / "none.pdf", [attendance[2][0], attendance[3][0]])
    assert not (tmp_path / "none.pdf").exists()


def test_cancelled_certificates_leave_no_file(db, demo_event, attendance, tmp_path):
    out = tmp_path / "c.pdf"
    with pytest.raises(Cancelled):
        BadgeService(db, demo_event).render_certificates(out, progress=RecordingProgress(cancel_after=1))
    assert not out.exists()


def test_one_file_per_person(db, demo_event, attendance, tmp_path):
    service = BadgeService(db, demo_event)
    folder = tmp_path / "einzeln"
    paths = service.write_certificate_files(folder)
    assert [p.name for p in paths] == [
        f"Teilnahmebescheinigung_Dr._Jürgen_Müller-Lüdenscheidt_{attendance[0][1]}.pdf",
        f"Teilnahmebescheinigung_Şebnem_Yılmaz_{attendance[1][1]}.pdf",
    ]
    for path in paths:
        assert len(pdf_reader(path).pages) == 1
    single = service.render_certificate(attendance[1][0])
    assert "Şebnem Yılmaz" in pdf_reader(single).pages[0].extract_text()
    with pytest.raises(NoAttendanceError):
        service.render_certificate(attendance[2][0])


def test_cancelled_file_per_person_removes_what_was_written(db, demo_event, attendance, tmp_path):
    folder = tmp_path / "einzeln"
    with pytest.raises(Cancelled):
        BadgeService(db, demo_event).write_certificate_files(
            folder, progress=RecordingProgress(cancel_after=1)
        )
    assert list(folder.iterdir()) == []


def test_certificates_follow_the_check_in_engine(db, demo_event, clock, tmp_path):
    """Scans at the entrance and a workshop door (incl. a move and an undo) end up on the certificate."""
    from checkin.domain.checkin_service import CheckInService

    people = People(db, demo_event).add_all(
        (NewPerson("Anna", "Engine", workshops=("zw-bass",)), NewPerson("Ben", "Gone"))
    )
    (anna, anna_code), (ben, ben_code) = people
    engine = CheckInService(db, demo_event, desk="Tür", clock=clock)
    thursday, friday = dt.date(2024, 9, 19), dt.date(2024, 9, 20)
    engine.scan(anna_code, day=thursday, session_key="zw-interkommunal")  # wrong room first ...
    clock.advance(minutes=3)
    engine.scan(anna_code, day=thursday, session_key="zw-bass")  # ... moved to her workshop
    engine.scan(ben_code, day=friday)
    engine.undo(ben, day=friday)
    (certificate,) = CertificateWriter(db, demo_event).attendance()
    assert certificate.registration_id == anna
    assert [d.date for d in certificate.days] == [thursday]  # the door scan counts as arrival
    assert [w.key for w in certificate.workshops] == ["zw-bass"]


def test_a_workshop_without_a_start_time_sorts_before_the_timed_ones_of_its_day(db):
    """A programme may leave a workshop's time open; attending it and a timed one the same day works."""
    import tomllib

    from checkin.domain.eventfile import parse_event_definition
    from checkin.domain.events import EventService
    from checkin.resources import demo_event_file

    data = tomllib.loads(demo_event_file().read_text(encoding="utf-8"))
    for session in data["sessions"]:
        if session["key"] == "zw-bass":
            del session["start"], session["end"]
    event = EventService(db).load_definition(parse_event_definition(data))
    ((anna, _code),) = People(db, event).add_all((NewPerson("Anna", "Open-Time"),))
    log(db, event, anna, 0, "zw-digitalisierung")
    log(db, event, anna, 0, "zw-bass")
    (certificate,) = CertificateWriter(db, event).attendance()
    assert [w.key for w in certificate.workshops] == ["zw-bass", "zw-digitalisierung"]


def _text(writer: CertificateWriter, registration_id: int) -> str:
    return " ".join(pdf_reader(writer.render(registration_id)).pages[0].extract_text().split())


def test_one_day_attendee_is_certified_for_that_day_only(db, demo_event, attendance):
    text = _text(CertificateWriter(db, demo_event), attendance[1][0])
    assert "am 20.09.2024 an der Veranstaltung" in text
    assert "19." not in text  # neither the first day nor the event's whole range
    assert "Freitag, 20.09.2024" in text
    assert "Donnerstag" not in text


def test_both_days_plenaries_and_workshop_with_hours(db, demo_event, attendance):
    text = _text(CertificateWriter(db, demo_event), attendance[0][0])
    assert "am 19./20.09.2024 an der Veranstaltung" in text
    # Arrived 10:00 on both days: every plenary of both days was still to come or running.
    for title in (
        "Keynote: Bürgergeld",
        "Podiumsdiskussion I:",
        "Vortrag Dr. Corinna Funke",
        "Podiumsdiskussion II:",
    ):
        assert title in text
    assert "BESUCHTE PROGRAMMPUNKTE" in text
    assert "ZUKUNFTSWERKSTATT" in text  # the event's own word, not "Workshops"
    assert "Workshop" not in text
    # 45 + 60 + 120 minutes on Thursday, 45 + 75 on Friday.
    assert "Umfang: 5,75 Zeitstunden" in text
    assert "maschinell erstellt und ist ohne Unterschrift gültig" in text
    assert "Mitwirkung als" not in text  # a participant has no role line


def test_plenaries_before_arrival_are_not_claimed(db, demo_event):
    ((late, _code),) = People(db, demo_event).add_all((NewPerson("Spät", "Kommer"),))
    day = demo_event.days[0]
    with db.session_factory.begin() as s:
        s.add(
            CheckInLogEntry(
                event_id=demo_event.id, registration_id=late, day_id=day.id, session_id=None,
                scope=ENTRANCE_SCOPE, seq=0, action=LogAction.CHECK_IN,
                at=dt.datetime(2024, 9, 19, 10, 0, tzinfo=dt.UTC),  # 12:00 in Berlin
            )
        )  # fmt: skip
    (data,) = CertificateWriter(db, demo_event).attendance([late])
    assert [s.key for s in data.items] == ["panel-1"]  # keynote ended 11:15, panel runs to 12:30


def test_scanned_only_plenaries_and_teaching_units(db, demo_event, attendance):
    event = dataclasses.replace(
        demo_event,
        definition={**demo_event.definition, "certificate": {"plenaries": "scanned", "extent": "units"}},
    )
    writer = CertificateWriter(db, event)
    juergen = writer.attendance([attendance[0][0]])[0]
    assert [s.key for s in juergen.items] == ["zw-digitalisierung"]
    text = _text(writer, attendance[0][0])
    assert "Keynote" not in text
    assert "Umfang: 2,5 Unterrichtseinheiten à 45 Minuten" in text  # 120 min, whole/half units only


def test_speaker_role_signature_image_and_organiser(db, demo_event, tmp_path):
    from PIL import Image

    ((speaker, _code),) = People(db, demo_event).add_all((NewPerson("Rita", "Rednerin", category="speaker"),))
    log(db, demo_event, speaker, 1)
    signature = tmp_path / "sig.png"
    Image.new("RGB", (300, 100), "navy").save(signature)
    spec = {"signature": str(signature), "signer": "Dr. Anna Beispiel", "organiser": "Deutscher Landkreistag"}
    event = dataclasses.replace(demo_event, definition={**demo_event.definition, "certificate": spec})
    pdf = CertificateWriter(db, event).render(speaker)
    text = " ".join(pdf_reader(pdf).pages[0].extract_text().split())
    assert "Mitwirkung als: Referent/in" in text
    assert "Dr. Anna Beispiel" in text
    assert "Deutscher Landkreistag" in text
    assert "ohne Unterschrift" not in text  # signed by the image
    images = pdf_reader(pdf).pages[0]["/Resources"]["/XObject"].values()
    assert [str(i.get_object()["/Subtype"]) for i in images] == ["/Image"]  # the signature (no logo)


def test_english_extent_and_machine_line(db, demo_event, attendance):
    i18n.set_language("en")
    text = _text(CertificateWriter(db, demo_event), attendance[0][0])
    assert "Extent: 5.75 hours" in text
    assert "produced by machine and is valid without a signature" in text
    assert "on 19./20.09.2024" in text
