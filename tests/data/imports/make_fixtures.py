# ruff: noqa: E501  (fixture rows are kept one per line, as in the files they write)
"""Writes the import fixtures in this folder (run once; the files are committed).

The same eight people appear in every file, written the way each source
writes them; expected.py beside it holds what the import must produce.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
LONG_ORG = (
    "Kommunales Jobcenter Landkreis Oberspreewald-Lausitz – Eigenbetrieb des Landkreises für "
    "Grundsicherung für Arbeitsuchende"
)
KOMBA = "KomBA-ABI – Kommunale Beschäftigungsagentur Jobcenter Landkreis Anhalt-Bitterfeld"
OSNA = "Jobcenter Landkreis Osnabrück – MaßArbeit kAöR"


def german_excel_csv() -> None:
    nfd_nguyen = unicodedata.normalize("NFD", "Nguyễn")
    rows = [
        "Teilnehmerliste Tag der kommunalen Jobcenter 2024 (Stand 02.09.2024);;;;;;;;;;;;;",
        "Anrede;Titel;Vorname;Nachname;Behörde;Funktion;E-Mail;Buchungsnummer;Kategorie;Status;"
        "Teilnahme 19.09.2024;Teilnahme 20.09.2024;Zukunftswerkstatt;Bemerkung",
        "Herr;Prof. Dr.;Ronnie\u00a0;Schöb;Freie Universität Berlin;Professor für Volkswirtschaftslehre;"
        "ronnie.schoeb@fu-berlin.example;TDKJ-0001;Referent;;ja;nein;;Keynote 10:30",
        f"Herr;;Łukasz;Wiśniewski;{OSNA};Teamleiter Markt und Integration;"
        "l.wisniewski@massarbeit.example;TDKJ-0002;Teilnehmer;;x;x;Zukunftswerkstatt 1;",
        "Frau;;Dr. Ayşe;Yılmaz;Kommunales Jobcenter Hamm;Geschäftsführerin;ayse.yilmaz@jobcenter-hamm.example;"
        "TDKJ-0003;;;ja;ja;IT-Sicherheit;",
        f"Frau;;Thị Minh Anh;{nfd_nguyen};Behörden Spiegel;Redakteurin;nguyen@behoerdenspiegel.example;"
        "TDKJ-0004;Presse;;nein;ja;;",
        "Frau;;Ольга;Иванова ;Deutscher Landkreistag;Tagungsbüro;o.ivanova@landkreistag.example;"
        "TDKJ-0005;Orga;;ja;ja;;",
        f'Herr;;Jürgen;Großmann-Weißenböck;"{LONG_ORG}";Fallmanager;j.grossmann@osl.example;TDKJ-0006;'
        'Teilnehmer/in;;1;0;"Zukunftswerkstatt 3: Schnittstellenmanagement FbW/Reha";',
        "Frau;Dr.;Anna-Katharina;Freifrau von Hohenberg-Waldenfels;Bundesministerium für Arbeit und Soziales;"
        "Referatsleiterin;hohenberg@bmas.example;TDKJ-0007;Teilnehmerin;;ja;ja;"
        "BASS-Studiengang der Hochschule Fulda;",
        f"Herr;;Şükrü;Çelik;{KOMBA};Integrationsfachkraft;s.celik@komba-abi.example;TDKJ-0008;Teilnehmer;"
        "storniert;ja;ja;interkommunale Zusammenarbeit;",
        ";;;;;;;;;;;;;",
        ";;;;;;;;;;;;;",
    ]
    (HERE / "german_excel.csv").write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8") + b"\r\n")


def german_cp1252_csv() -> None:
    rows = [
        "Vorname;Nachname;Dienststelle;E-Mail;Anmeldenummer;Teilnahme Donnerstag;Teilnahme Freitag",
        "Jürgen;Weiß;Jobcenter Landkreis Göttingen;j.weiss@goettingen.example;A-17;ja;nein",
        "Dörte;Strauß-Müller;Kommunales Jobcenter Hamm;d.strauss@hamm.example;A-18;x;x",
        "Bärbel;Oßwald;GGFA AöR – Jobcenter Stadt Erlangen;;A-19;nein;ja",
    ]
    (HERE / "german_cp1252.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def english_csv() -> None:
    text = """Ticket Code,Name,Organization,Job Title,Email,Category,Days,Workshops,Status
EN-1,Prof. Dr. Ronnie Schöb,Freie Universität Berlin,Professor für Volkswirtschaftslehre,ronnie.schoeb@fu-berlin.example,Speaker,Thursday,,active
EN-2,"Wiśniewski, Łukasz",OSNA,Teamleiter Markt und Integration,l.wisniewski@massarbeit.example,Participant,"19.09.2024, 20.09.2024",zw-digitalisierung,
EN-3,Dr. Ayşe Yılmaz,Kommunales Jobcenter Hamm,Geschäftsführerin,ayse.yilmaz@jobcenter-hamm.example,Attendee,both,Zukunftswerkstatt 5: IT-Sicherheit,
EN-4,Thị Minh Anh Nguyễn,Behörden Spiegel,Redakteurin,nguyen@behoerdenspiegel.example,Press,Friday,,
EN-5,Ольга Иванова,Deutscher Landkreistag,Tagungsbüro,o.ivanova@landkreistag.example,Staff,all,,
EN-6,Jürgen Großmann-Weißenböck,"LONG_ORG",Fallmanager,j.grossmann@osl.example,participant,2024-09-19,Schnittstellenmanagement FbW/Reha,
EN-7,Dr. Anna-Katharina Freifrau von Hohenberg-Waldenfels,Bundesministerium für Arbeit und Soziales,Referatsleiterin,hohenberg@bmas.example,participant,"Thursday, Friday",zw-bass,
EN-8,Şükrü Çelik,KOMBA,Integrationsfachkraft,s.celik@komba-abi.example,,both,Zukunftswerkstatt 2,cancelled
"""
    text = text.replace("OSNA", OSNA).replace("LONG_ORG", LONG_ORG).replace("KOMBA", KOMBA)
    (HERE / "english.csv").write_text(text, encoding="utf-8", newline="\n")


def pretix_csv() -> None:
    import csv
    import io

    header = [
        "Event slug", "Order code", "Position ID", "Status", "Email", "Phone number", "Order date",
        "Order time", "Product", "Variation", "Price", "Tax rate", "Attendee name", "Attendee name: Title",
        "Attendee name: Given name", "Attendee name: Family name", "Attendee email", "Company", "Address",
        "ZIP code", "City", "Country", "Voucher", "Pseudonymization ID", "Ticket secret", "Funktion",
        "Teilnahmetage", "Zukunftswerkstatt",
    ]  # fmt: skip

    def row(order, pos, status, email, product, name, t, given, family, att_email, company, secret,
            function, days, workshop):  # fmt: skip
        return [
            "tdkj24", order, pos, status, email, "", "2024-08-01", "10:15:00", product, "", "0.00", "0.00",
            name, t, given, family, att_email, company, "", "", "", "DE", "", "PSEUDO" + secret[:6],
            secret, function, days, workshop,
        ]  # fmt: skip

    rows = [
        row("ABC12", "1", "Paid", "sekretariat@fu-berlin.example", "Referent", "", "Prof. Dr.", "Ronnie",
            "Schöb", "ronnie.schoeb@fu-berlin.example", "Freie Universität Berlin",
            "k7px3mq9wtrv4nab2c3d4e5f6g7h8j9k", "Professor für Volkswirtschaftslehre", "19.09.2024", ""),
        row("XY7QZ", "1", "Paid", "buchung@massarbeit.example", "Teilnahme", "", "", "Łukasz", "Wiśniewski",
            "l.wisniewski@massarbeit.example", OSNA, "a2b3c4d5e6f7g8h9j2k3m4n5p6q7r8s9",
            "Teamleiter Markt und Integration", "19.09.2024, 20.09.2024",
            "Zukunftswerkstatt 1: Ganzheitliche Digitalisierung"),
        row("XY7QZ", "2", "Paid", "buchung@massarbeit.example", "Teilnahme", "Dr. Ayşe Yılmaz", "", "", "",
            "ayse.yilmaz@jobcenter-hamm.example", "Kommunales Jobcenter Hamm",
            "b3c4d5e6f7g8h9j2k3m4n5p6q7r8s9t2", "Geschäftsführerin", "19.09.2024, 20.09.2024",
            "Zukunftswerkstatt 5: IT-Sicherheit"),
        row("PRS01", "1", "Paid", "redaktion@behoerdenspiegel.example", "Presse", "Thị Minh Anh Nguyễn", "",
            "Thị Minh Anh", "Nguyễn", "nguyen@behoerdenspiegel.example", "Behörden Spiegel",
            "c4d5e6f7g8h9j2k3m4n5p6q7r8s9t2u3", "Redakteurin", "20.09.2024", ""),
        row("ORG01", "1", "Paid", "o.ivanova@landkreistag.example", "Orga", "", "", "Ольга", "Иванова",
            "o.ivanova@landkreistag.example", "Deutscher Landkreistag", "d5e6f7g8h9j2k3m4n5p6q7r8s9t2u3v4",
            "Tagungsbüro", "19.09.2024, 20.09.2024", ""),
        row("OSL99", "1", "Pending", "j.grossmann@osl.example", "Teilnahme", "Jürgen Großmann-Weißenböck", "",
            "Jürgen", "Großmann-Weißenböck", "j.grossmann@osl.example", LONG_ORG,
            "e6f7g8h9j2k3m4n5p6q7r8s9t2u3v4w5", "Fallmanager", "19.09.2024",
            "Zukunftswerkstatt 3: Schnittstellenmanagement FbW/Reha"),
        row("BMAS7", "1", "Paid", "hohenberg@bmas.example", "Teilnahme", "", "Dr.", "Anna-Katharina",
            "Freifrau von Hohenberg-Waldenfels", "hohenberg@bmas.example",
            "Bundesministerium für Arbeit und Soziales", "f7g8h9j2k3m4n5p6q7r8s9t2u3v4w5x6", "Referatsleiterin",
            "19.09.2024, 20.09.2024", "Zukunftswerkstatt 4: BASS-Studiengang der Hochschule Fulda"),
        row("KOM88", "1", "Canceled", "s.celik@komba-abi.example", "Teilnahme", "Şükrü Çelik", "", "Şükrü",
            "Çelik", "", KOMBA, "g8h9j2k3m4n5p6q7r8s9t2u3v4w5x6y7", "Integrationsfachkraft",
            "19.09.2024, 20.09.2024", "Zukunftswerkstatt 2: Interkommunale Zusammenarbeit"),
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    (HERE / "pretix_orders.csv").write_text(buffer.getvalue(), encoding="utf-8", newline="")


def registrations_xlsx() -> None:
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Hinweise"
    cover["A1"] = "Bitte die Liste im Blatt Anmeldungen pflegen."
    cover["A2"] = "Stand: 02.09.2024"
    sheet = workbook.create_sheet("Anmeldungen")
    sheet.append(["Tag der kommunalen Jobcenter 2024 – Anmeldungen"])
    sheet.append([])
    sheet.append(["Anmeldenummer", "Titel", "Vorname", "Name", "Organisation/Institution", "Funktion",
                  "E-Mail-Adresse", "Teilnehmerkategorie", "Tage", "Zukunftswerkstätten", "Status"])  # fmt: skip
    sheet.append([1001, "Prof. Dr.", "Ronnie", "Schöb", "Freie Universität Berlin",
                  "Professor für Volkswirtschaftslehre", "ronnie.schoeb@fu-berlin.example", "Referent/in",
                  dt.datetime(2024, 9, 19), None, None])  # fmt: skip
    sheet.append([1002, None, "Łukasz", "Wiśniewski", OSNA, "Teamleiter Markt und Integration",
                  "l.wisniewski@massarbeit.example", "Teilnehmer/in", "beide", "ZW 1", None])  # fmt: skip
    sheet.append([1003, "Dr.", "Ayşe", "Yılmaz", "Kommunales Jobcenter Hamm", "Geschäftsführerin",
                  "ayse.yilmaz@jobcenter-hamm.example", None, "Donnerstag, Freitag", "IT Sicherheit",
                  None])  # fmt: skip
    sheet.append([1004, None, "Thị Minh Anh", "Nguyễn", "Behörden Spiegel", "Redakteurin",
                  "nguyen@behoerdenspiegel.example", "PRESSE", "Freitag", None, None])  # fmt: skip
    sheet.append([1005, None, "Ольга", "Иванова", "Deutscher Landkreistag", "Tagungsbüro",
                  "o.ivanova@landkreistag.example", "Organisation", "beide", None, None])  # fmt: skip
    sheet.append([1006, None, "Jürgen", "Großmann-Weißenböck", LONG_ORG, "Fallmanager",
                  "j.grossmann@osl.example", "Teilnehmer/in", "Donnerstag", "zw-schnittstellen",
                  None])  # fmt: skip
    sheet.append([1007, "Dr.", "Anna-Katharina", "Freifrau von Hohenberg-Waldenfels",
                  "Bundesministerium für Arbeit und Soziales", "Referatsleiterin", "hohenberg@bmas.example",
                  "Teilnehmer/in", "beide", "Zukunftswerkstatt 4", None])  # fmt: skip
    sheet.append([1008, None, "Şükrü", "Çelik", KOMBA, "Integrationsfachkraft", "s.celik@komba-abi.example",
                  "Teilnehmer/in", "beide", "Interkommunale Zusammenarbeit", "abgesagt"])  # fmt: skip
    workbook.save(HERE / "registrations.xlsx")


def eventbrite_csvs() -> None:
    new = (
        "Order #,Order Date,First Name,Last Name,Email,Quantity,Price Tier,Ticket Type,Attendee #,Group,"
        "Order Type,Currency,Total Paid,Fees Paid,Eventbrite Fees,Eventbrite Payment Processing,"
        "Attendee Status,Home Address 1,Job Title,Company,Barcode #\n"
        "1234567890,2024-08-01 10:00:00+02:00,Ronnie,Schöb,ronnie.schoeb@fu-berlin.example,1,,Speaker,"
        "9876543210,,Free Order,EUR,0.00,0.00,0.00,0.00,Attending,,Professor,Freie Universität Berlin,"
        "987654321012345678001\n"
        "1234567891,2024-08-02 11:00:00+02:00,Zofia,Wójcik,z.wojcik@example.org,2,,General,9876543211,,"
        "Eventbrite Completed,EUR,120.00,5.00,3.00,1.00,Attending,,Referentin,Jobcenter Kreis Borken,"
        "987654321012345678002\n"
        "1234567891,2024-08-02 11:00:00+02:00,Tomáš,Dvořák,t.dvorak@example.org,2,,General,9876543212,,"
        "Eventbrite Completed,EUR,120.00,5.00,3.00,1.00,Not Attending,,Controller,Jobcenter Kreis Borken,"
        "987654321012345678003\n"
    )
    (HERE / "eventbrite_attendees.csv").write_text(new, encoding="utf-8", newline="")
    old = (
        '"Attendee #","Date","Last Name","First Name","Email","QTY","Ticket Type","Date Attending",'
        '"Order #","Order Type","Amount (USD)","Fees Paid (USD)","Attendee Status"\n'
        '"5550001","2024-08-01","Schöb","Ronnie","ronnie.schoeb@fu-berlin.example","1","Speaker",'
        '"Sep 19, 2024","777001","Free Order","0.00","0.00","Attending"\n'
        '"5550002","2024-08-02","Marković","Željko","z.markovic@example.org","1","General",'
        '"Sep 20, 2024","777002","PayPal Completed","60.00","2.50","Attending"\n'
    )
    (HERE / "eventbrite_old.csv").write_text(old, encoding="utf-8", newline="")


def tab_separated() -> None:
    text = (
        "Vorname\tNachname\tOrganisation\tE-Mail\tTicketcode\n"
        "Małgorzata\tZielińska\tJobcenter Kreis Steinfurt\tm.zielinska@steinfurt.example\tT-1\n"
        "Дмитрий\tСоколов\tJobcenter Emsland\td.sokolov@emsland.example\tT-2\n"
    )
    (HERE / "tab_separated.txt").write_text(text, encoding="utf-8")


def not_lists() -> None:
    (HERE / "no_name_column.csv").write_text(
        "Datum;Raum;Thema\n19.09.2024;Großer Saal;Keynote\n19.09.2024;Raum Spree;Zukunftswerkstatt 1\n",
        encoding="utf-8",
    )
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "header_only.csv").write_text("Vorname;Nachname;E-Mail\n", encoding="utf-8")
    (HERE / "programme.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


if __name__ == "__main__":
    german_excel_csv()
    german_cp1252_csv()
    english_csv()
    pretix_csv()
    registrations_xlsx()
    eventbrite_csvs()
    tab_separated()
    not_lists()
