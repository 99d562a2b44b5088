"""Index for the review queue filtered by module: counts by state and the waiting page from the index

Revision ID: 6d2e3f4a5b6c
Revises: 5c1d2e3f4a5b
Create Date: 2026-12-03 11:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '6d2e3f4a5b6c'
down_revision = '5c1d2e3f4a5b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.create_index(
            'ix_work_queue_module',
            ['edition_id', 'module_id', 'status', 'last_submitted_at', 'institution_id', 'scope'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.drop_index('ix_work_queue_module')
