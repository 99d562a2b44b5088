"""Due dates of a programme's modules in an edition, set by its trainers

Revision ID: d1e5da7e0c17
Revises: a0d17a11e0a5
Create Date: 2026-12-03 16:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d1e5da7e0c17"
down_revision = "a0d17a11e0a5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "module_deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"]),
        sa.ForeignKeyConstraint(["module_id"], ["module.id"]),
        sa.ForeignKeyConstraint(["set_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("edition_id", "module_id"),
    )
    op.create_index("ix_module_deadline_module_id", "module_deadline", ["module_id"], unique=False)


def downgrade():
    op.drop_index("ix_module_deadline_module_id", table_name="module_deadline")
    op.drop_table("module_deadline")
