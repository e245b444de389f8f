"""pretix: the connection of an event, its mapping of products/lists/questions, positions → registrations

Revision ID: 0200_pretix
Revises: 0002_import_value_maps
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0200_pretix"
down_revision = "0002_import_value_maps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pretix_connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("organizer", sa.String(length=100), nullable=False),
        sa.Column("event_slug", sa.String(length=100), nullable=False),
        sa.Column("checkin_list_id", sa.Integer(), nullable=True),
        sa.Column("token_name", sa.String(length=200), nullable=False),
        sa.Column("resume_url", sa.Text(), nullable=True),
        sa.Column("modified_since", sa.String(length=64), nullable=True),
        sa.Column("downloaded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_pretix_connections_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pretix_connections")),
        sa.UniqueConstraint("event_id", name=op.f("uq_pretix_connections_event_id")),
    )
    op.create_table(
        "pretix_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_pretix_mappings_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pretix_mappings")),
        sa.UniqueConstraint(
            "event_id", "source_kind", "source_id", name=op.f("uq_pretix_mappings_event_id_source_kind_source_id")
        ),
    )
    op.create_table(
        "pretix_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_pretix_positions_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_pretix_positions_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pretix_positions")),
        sa.UniqueConstraint("event_id", "position_id", name=op.f("uq_pretix_positions_event_id_position_id")),
    )
    with op.batch_alter_table("pretix_positions", schema=None) as batch_op:
        batch_op.create_index("ix_pretix_positions_registration_id", ["registration_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pretix_positions", schema=None) as batch_op:
        batch_op.drop_index("ix_pretix_positions_registration_id")
    op.drop_table("pretix_positions")
    op.drop_table("pretix_mappings")
    op.drop_table("pretix_connections")
