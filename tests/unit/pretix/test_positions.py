"""A pretix order position becomes the values of one registration."""

from __future__ import annotations

import datetime as dt

from checkin.pretix.mapping import MappingRow
from checkin.pretix.positions import PositionValues, Skipped, position_values

MAPPING = {
    (r.source_kind, r.source_id): r
    for r in (
        MappingRow("item", 1, "Teilnahme", "category", "participant"),
        MappingRow("item_days", 1, "Teilnahme", "days", ""),
        MappingRow("item", 3, "Tagesticket", "category", "participant"),
        MappingRow("item_days", 3, "Tagesticket", "days", ""),
        MappingRow("var_days", 31, "Tagesticket – Dienstag", "days", "2030-09-17"),
        MappingRow("item", 4, "Tagungsband", "ignore"),
        MappingRow("question", 9, "Zukunftswerkstatt", "workshops"),
        MappingRow("option", 91, "Zukunftswerkstatt: A", "session", "ws1"),
    )
}


def _position(**extra):
    return {"id": 11, "item": 1, "variation": None, "secret": "s3cr3t", "answers": [], **extra}


def test_name_parts_company_email_order_code_and_workshop():
    order = {"code": "AB12C", "status": "p", "email": "order@example.org"}
    values = position_values(
        order,
        _position(
            attendee_name_parts={
                "_scheme": "title_given_family",
                "title": "Dr.",
                "given_name": "Jürgen",
                "family_name": "Müller",
            },
            company="Jobcenter Görlitz",
            answers=[{"question": 9, "answer": "A", "options": [91]}],
        ),
        MAPPING,
        include_pending=False,
        default_category="participant",
    )
    assert isinstance(values, PositionValues)
    assert (values.title, values.first_name, values.last_name) == ("Dr.", "Jürgen", "Müller")
    assert (values.organisation, values.email, values.code, values.order_code) == (
        "Jobcenter Görlitz",
        "order@example.org",
        "s3cr3t",
        "AB12C",
    )
    assert values.session_keys == ("ws1",)
    assert values.days is None
    assert not values.cancelled


def test_variation_days_and_statuses():
    day = position_values(
        {"code": "X", "status": "p"},
        _position(item=3, variation=31),
        MAPPING,
        include_pending=False,
        default_category="participant",
    )
    assert isinstance(day, PositionValues)
    assert day.days == (dt.date(2030, 9, 17),)
    for status, approval, include_pending, expected in (
        ("p", False, False, "active"),
        ("c", False, False, "cancelled"),
        ("e", False, False, "cancelled"),
        ("n", False, False, "unpaid"),  # pending, and the list does not admit pending orders
        ("n", False, True, "active"),  # the list admits pending orders: so does the desk
        ("n", True, True, "unpaid"),  # waiting for approval: pretix admits it nowhere
    ):
        values = position_values(
            {"code": "X", "status": status, "require_approval": approval},
            _position(),
            MAPPING,
            include_pending=include_pending,
            default_category="participant",
        )
        assert isinstance(values, PositionValues)
        assert values.status.value == expected, (status, approval, include_pending)
        assert values.cancelled is (expected == "cancelled")
        assert values.unpaid is (expected == "unpaid")
        if approval:
            assert values.pretix_status == "pending_approval"
    canceled_position = position_values(
        {"code": "X", "status": "p"},
        _position(canceled=True),
        MAPPING,
        include_pending=False,
        default_category="participant",
    )
    assert isinstance(canceled_position, PositionValues)
    assert canceled_position.pretix_status == "position_canceled"


def test_products_without_admission_and_unknown_products_are_skipped_with_a_reason():
    addon = position_values(
        {"code": "X", "status": "p"},
        _position(item=4, addon_to=11),
        MAPPING,
        include_pending=False,
        default_category="participant",
    )
    assert isinstance(addon, Skipped)
    assert addon.reason == "not_admission"
    assert addon.parent_position_id == 11
    unknown = position_values(
        {"code": "X", "status": "p"},
        _position(item=99),
        MAPPING,
        include_pending=False,
        default_category="participant",
    )
    assert isinstance(unknown, Skipped)
    assert unknown.reason == "unmapped_product"


def test_a_full_name_only_is_split_and_the_invoice_name_is_the_fallback():
    full = position_values(
        {"code": "X", "status": "p"},
        _position(attendee_name_parts={"full_name": "Prof. Dr. Anna von Weizsäcker"}),
        MAPPING,
        include_pending=False,
        default_category="participant",
    )
    assert isinstance(full, PositionValues)
    assert (full.title, full.first_name, full.last_name) == ("Prof. Dr.", "Anna", "von Weizsäcker")
    invoice = position_values(
        {
            "code": "X",
            "status": "p",
            "invoice_address": {
                "name_parts": {"given_name": "Zoë", "family_name": "Straßer"},
                "company": "AfA",
            },
        },
        _position(),
        MAPPING,
        include_pending=False,
        default_category="participant",
    )
    assert isinstance(invoice, PositionValues)
    assert (invoice.first_name, invoice.last_name, invoice.organisation) == ("Zoë", "Straßer", "AfA")
