"""The event file's [documents] table: read when present, refused with a message when wrong."""

from __future__ import annotations

import pytest

from checkin.domain.document_options import DocumentOptions, document_options, parse_document_options
from checkin.domain.eventfile import EventFileError, parse_event_definition

MINIMAL = {"event": {"name": "Tag X"}, "days": [{"date": "2024-09-19"}]}


def test_absent_table_means_no_options():
    assert parse_document_options(None) == DocumentOptions()
    assert document_options({}) == DocumentOptions()


def test_options_are_read():
    options = parse_document_options(
        {
            "grant_reference": " ESF  01/2024 ",
            "funder": "Gefördert vom BMAS",
            "organiser": "DLT",
            "confirmation": "Die Teilnahme wird bestätigt.",
            "organisation_aliases": {"JC  Köln": "Jobcenter Köln"},
        }
    )
    assert options.grant_reference == "ESF 01/2024"
    assert options.confirm
    assert options.confirmation_text == "Die Teilnahme wird bestätigt."
    assert dict(options.organisation_aliases) == {"JC Köln": "Jobcenter Köln"}
    assert parse_document_options({"confirmation": True}).confirmation_text == ""


@pytest.mark.parametrize(
    "documents",
    [
        "text",
        {"grant_refrence": "typo"},
        {"funder": 3},
        {"confirmation": 1},
        {"organisation_aliases": ["JC Köln"]},
        {"organisation_aliases": {"JC Köln": ""}},
    ],
)
def test_wrong_tables_are_refused_when_the_event_file_is_loaded(documents: object):
    with pytest.raises(EventFileError, match=r"\[documents\]"):
        parse_event_definition({**MINIMAL, "documents": documents})
