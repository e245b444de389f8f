"""import value maps: choices remembered per event for values an import did not know

Revision ID: 0002_import_value_maps
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_import_value_maps"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_value_maps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_import_value_maps_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_value_maps")),
        sa.UniqueConstraint("event_id", "field", "value", name=op.f("uq_import_value_maps_event_id_field_value")),
    )


def downgrade() -> None:
    op.drop_table("import_value_maps")
