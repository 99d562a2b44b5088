"""Events found by their host institution (the checklists' consultation cadence starts from the institutions)

Revision ID: b4c5d6e7f809
Revises: 7f0a2fac70e1
Create Date: 2026-12-03 16:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b4c5d6e7f809"
down_revision = "7f0a2fac70e1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_event_host_institution_id", "event", ["host_institution_id"])


def downgrade():
    op.drop_index("ix_event_host_institution_id", table_name="event")
