"""Indexes for the institutions' checklists: deliverable works and institution certificates

Revision ID: 5c1d2e3f4a5b
Revises: 4a8e446eb599
Create Date: 2026-12-03 10:05:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1d2e3f4a5b'
down_revision = '4a8e446eb599'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.create_index('ix_work_deliverable', ['institution_id', 'learner_id', 'assignment_id'], unique=False)
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_institution', ['kind', 'institution_id', 'programme_id'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_institution')
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.drop_index('ix_work_deliverable')
