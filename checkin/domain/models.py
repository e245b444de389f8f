"""The ORM model (SQLAlchemy 2, typed).

Check-ins are an append-only log: every check-in and every undo is a new
``CheckInLogEntry`` row and nothing in that table is ever updated or deleted.
The state of one (registration, day, scope) is given by its entry with the
highest ``seq``: even ``seq`` rows are check-ins, odd ones undos. The unique
constraint on (registration, day, scope, seq) makes a concurrent second
check-in of the same person fail in the database, not only in an ``if``.
``scope`` is 0 for the entrance and the session id for a workshop door (a
NULL session could not take part in a unique constraint).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from checkin.domain.identity import current_desk_id, new_nonce
from checkin.domain.names import display_name

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ENTRANCE_SCOPE = 0


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores aware datetimes as naive UTC and returns them aware (UTC) again."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SyncStamp:
    """Columns a hub sets by trigger on every write (``checkin.sync``): ``change_seq`` orders the
    versions of a row, ``change_xid`` (the writing transaction) is what desks download after."""

    change_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    change_xid: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class FactIdentity:
    """Who recorded a fact: the desk's id, a random nonce (unique per desk), the desk's own
    sequence number (set at a joined desk); ``at`` is the moment it happened (desk clock)."""

    desk_id: Mapped[str] = mapped_column(String(64), default=current_desk_id)
    nonce: Mapped[str | None] = mapped_column(String(64), nullable=True, default=new_nonce)
    desk_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SessionKind(enum.StrEnum):
    PLENARY = "plenary"
    WORKSHOP = "workshop"


class RegistrationStatus(enum.StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    # Registered but not paid (a pending pretix order, an import's "offen"): refused until paid
    # or let in by staff.
    UNPAID = "unpaid"


class LogAction(enum.StrEnum):
    CHECK_IN = "check_in"
    UNDO = "undo"


class Event(SyncStamp, Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    venue: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    secret: Mapped[str] = mapped_column(String(200))
    badge_layout: Mapped[str] = mapped_column(String(100), default="a6")
    workshop_label: Mapped[str] = mapped_column(String(100), default="")
    retention_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deny_unregistered_session: Mapped[bool] = mapped_column(Boolean, default=False)
    # The whole event file as loaded (badge options, label sheets, logo...), for
    # parts that only the badge and report code read.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    days: Mapped[list[EventDay]] = relationship(
        back_populates="event", order_by="EventDay.date", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event",
        order_by="(EventSession.starts_at, EventSession.key)",
        cascade="all, delete-orphan",
    )
    categories: Mapped[list[Category]] = relationship(
        back_populates="event", order_by="Category.position", cascade="all, delete-orphan"
    )


class EventDay(SyncStamp, Base):
    __tablename__ = "event_days"
    __table_args__ = (UniqueConstraint("event_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(100), default="")

    event: Mapped[Event] = relationship(back_populates="days")


class EventSession(SyncStamp, Base):
    """A programme item: a plenary session or a workshop (with a door to scan at)."""

    __tablename__ = "sessions"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[SessionKind] = mapped_column(
        Enum(SessionKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    day_id: Mapped[int] = mapped_column(ForeignKey("event_days.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    ends_at: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    room: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    speakers: Mapped[str] = mapped_column(String(500), default="")

    event: Mapped[Event] = relationship(back_populates="sessions")
    day: Mapped[EventDay] = relationship()


class Category(SyncStamp, Base):
    """Participant, speaker, press, staff... with its badge colour and label."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    colour: Mapped[str] = mapped_column(String(20), default="#1f6feb")
    badge_label: Mapped[str] = mapped_column(String(100), default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Other spellings that an import may use for this category ("Referent", "Speaker").
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    event: Mapped[Event] = relationship(back_populates="categories")


registration_days = Table(
    "registration_days",
    Base.metadata,
    Column("registration_id", ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True),
    Column("day_id", ForeignKey("event_days.id", ondelete="CASCADE"), primary_key=True),
)

registration_sessions = Table(
    "registration_sessions",
    Base.metadata,
    Column("registration_id", ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_registration_sessions_session_id", "session_id"),
)


class Registration(SyncStamp, Base):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        Index("ix_registrations_event_order_code", "event_id", "order_code"),
        Index("ix_registrations_event_email", "event_id", "email"),
        Index("ix_registrations_event_last_name", "event_id", "last_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # What the QR code carries (our signed code, or e.g. a pretix ticket secret).
    code: Mapped[str] = mapped_column(String(200))
    # A second code the desk accepts (e.g. a pretix order code); not unique.
    order_code: Mapped[str | None] = mapped_column(String(200), nullable=True)
    title: Mapped[str] = mapped_column(String(100), default="")
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(500), default="")
    function: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[RegistrationStatus] = mapped_column(
        Enum(
            RegistrationStatus,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=RegistrationStatus.ACTIVE,
    )
    # Where the row came from: "demo", "import:<file name>", "walk-in", ...
    source: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Extra columns of the imported row that have no field of their own.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set when personal data was removed by the data-protection purge.
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Imported from a list with day columns that ticked none of them: registered for no day
    # (without this, a registration without day rows is registered for every day). Setting
    # days clears it.
    no_day_ticked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # At a desk's replica: the registration's id at the hub (None for a walk-in not yet synced).
    hub_id: Mapped[int | None] = mapped_column(Integer, nullable=True, unique=True)

    category: Mapped[Category | None] = relationship()
    days: Mapped[list[EventDay]] = relationship(secondary=registration_days, order_by="EventDay.date")
    sessions: Mapped[list[EventSession]] = relationship(secondary=registration_sessions)

    @property
    def display_name(self) -> str:
        return display_name(self.title, self.first_name, self.last_name)


class CheckInLogEntry(FactIdentity, SyncStamp, Base):
    """One check-in or undo; append-only (see module docstring)."""

    __tablename__ = "checkin_log"
    __table_args__ = (
        UniqueConstraint("registration_id", "day_id", "scope", "seq"),
        UniqueConstraint("desk_id", "nonce"),
        Index("ix_checkin_log_event_at", "event_id", "at"),
        Index("ix_checkin_log_day_scope", "day_id", "scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    day_id: Mapped[int] = mapped_column(ForeignKey("event_days.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), nullable=True
    )
    scope: Mapped[int] = mapped_column(Integer, default=ENTRANCE_SCOPE)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[LogAction] = mapped_column(
        Enum(LogAction, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    desk: Mapped[str] = mapped_column(String(100), default="")
    # e.g. "walk_in", "manual", "yz_swapped", "moved_to:<key>", "moved_from:<key>"
    note: Mapped[str] = mapped_column(String(300), default="")

    registration: Mapped[Registration] = relationship()
    day: Mapped[EventDay] = relationship()
    session: Mapped[EventSession | None] = relationship()


class BadgePrint(FactIdentity, SyncStamp, Base):
    """A badge printed (or saved as PDF) for a registration."""

    __tablename__ = "badge_prints"
    __table_args__ = (UniqueConstraint("desk_id", "nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    desk: Mapped[str] = mapped_column(String(100), default="")
    layout: Mapped[str] = mapped_column(String(100), default="")
    # "batch", "single", "reprint", "auto"
    reason: Mapped[str] = mapped_column(String(100), default="")


class AuditEntry(Base):
    """Things an organiser may have to prove later: imports, edits, purges (counts, not names)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), nullable=True, index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    desk: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ImportValueMap(Base):
    """A choice made once for an event's imports: a value of a list (category, product, status) that
    the event does not know, and what it stands for (a category key, "active"/"cancelled")."""

    __tablename__ = "import_value_maps"
    __table_args__ = (UniqueConstraint("event_id", "field", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(500))  # normalised (case, accents, spaces ignored)
    target: Mapped[str] = mapped_column(String(100))


class PretixConnection(Base):
    """The pretix event an event's registrations come from (one per event; the token is in the
    secrets store under ``token_name``, never here), and where its download stands."""

    __tablename__ = "pretix_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    organizer: Mapped[str] = mapped_column(String(100))
    event_slug: Mapped[str] = mapped_column(String(100))
    checkin_list_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    token_name: Mapped[str] = mapped_column(String(200))
    # The first download's next page while it is under way (resumable); NULL once it finished.
    resume_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    # pretix's own clock (X-Page-Generated) of the last complete download: the next modified_since.
    modified_since: Mapped[str | None] = mapped_column(String(64), nullable=True)
    downloaded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PretixMapping(Base):
    """What a pretix product, variation, check-in list or question (option) stands for in the event:
    ``target_kind`` "category" (target: a category key), "days" (target: ISO dates, comma-separated),
    "session" (a session key), "workshops" (a question whose options are sessions), or "unmapped"."""

    __tablename__ = "pretix_mappings"
    __table_args__ = (UniqueConstraint("event_id", "source_kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    source_kind: Mapped[str] = mapped_column(String(20))  # item, variation, list, question, option
    source_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(500), default="")
    target_kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(500), default="")
    # False while the mapping is the default chosen by name; True once a person set it.
    edited: Mapped[bool] = mapped_column(Boolean, default=False)


class PretixPosition(Base):
    """Which registration an order position became (its secret may change in pretix)."""

    __tablename__ = "pretix_positions"
    __table_args__ = (UniqueConstraint("event_id", "position_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    position_id: Mapped[int] = mapped_column(Integer)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )


class SyncFact(Base):
    """At a hub: every fact a desk uploaded, once (unique desk and nonce), with what became of it.

    ``outcome`` is ``applied`` (written to its table), ``conflict`` (kept here only: e.g. a second
    admission of a person another desk admitted while the two were apart) or ``rejected`` (it
    refers to something the hub no longer has). At a desk's replica the same table holds the
    conflicts the hub reported.
    """

    __tablename__ = "sync_facts"
    __table_args__ = (UniqueConstraint("desk_id", "nonce"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer, index=True)
    desk_id: Mapped[str] = mapped_column(String(64))
    desk_name: Mapped[str] = mapped_column(String(100), default="")
    nonce: Mapped[str] = mapped_column(String(64))
    desk_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(30))
    happened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(100), default="")
    registration_code: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    change_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    change_xid: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class SyncDesk(Base):
    """At a hub: a desk that joined (its id is part of every fact it uploads)."""

    __tablename__ = "sync_desks"

    desk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[int] = mapped_column(Integer)
    joined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SyncTombstone(Base):
    """At a hub: a row deleted (a purge), so that replicas delete their copy at their next sync."""

    __tablename__ = "sync_tombstones"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    row_id: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    desk_id: Mapped[str] = mapped_column(String(64), default="")
    nonce: Mapped[str | None] = mapped_column(String(64), nullable=True)
    change_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    change_xid: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class SyncState(Base):
    """At a joined desk: the one row saying who the desk is, which hub, and how far it has read."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    desk_id: Mapped[str] = mapped_column(String(64))
    desk_name: Mapped[str] = mapped_column(String(100))
    hub_url: Mapped[str] = mapped_column(String(500))
    event_id: Mapped[int] = mapped_column(Integer)
    # 1 while the sync writes what it downloaded (the outbox triggers then stay quiet).
    applying: Mapped[int] = mapped_column(Integer, default=0)
    join_done: Mapped[bool] = mapped_column(Boolean, default=False)
    join_after_id: Mapped[int] = mapped_column(BigInteger, default=0)
    join_stage: Mapped[str] = mapped_column(String(30), default="")
    # The hub's snapshot at the last download: what was not visible then is what to read next
    # (transactions from ``cursor_xid`` = its xmax on, and those in progress, ``cursor_xip``).
    cursor_xid: Mapped[int] = mapped_column(BigInteger, default=0)
    cursor_xip: Mapped[list[int]] = mapped_column(JSON, default=list)
    last_upload: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_download: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    offline_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SyncOutbox(Base):
    """At a joined desk: facts recorded here, in order (``id`` is the desk's sequence number),
    written by triggers in the same transaction as the fact; ``acked`` once the hub has it."""

    __tablename__ = "sync_outbox"
    __table_args__ = (Index("ix_sync_outbox_acked_id", "acked", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    row_id: Mapped[int] = mapped_column(Integer)
    nonce: Mapped[str] = mapped_column(String(64))
    happened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    acked: Mapped[int] = mapped_column(Integer, default=0)
