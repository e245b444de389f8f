"""no day ticked: a registration from a list with day columns that ticked none of them

Revision ID: 0003_days_unticked
Revises: 0002_import_value_maps
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_days_unticked"
down_revision = "0200_pretix"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("no_day_ticked", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("no_day_ticked")
