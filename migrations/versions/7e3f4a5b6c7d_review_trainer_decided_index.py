"""A trainer's recent decisions read from one index: (trainer_id, decided_at, attempt_id) replaces trainer_id

Revision ID: 7e3f4a5b6c7d
Revises: 6d2e3f4a5b6c
Create Date: 2026-12-03 12:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7e3f4a5b6c7d'
down_revision = '6d2e3f4a5b6c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index('ix_review_trainer_decided', ['trainer_id', 'decided_at', 'attempt_id'], unique=False)
        batch_op.drop_index('ix_review_trainer_id')


def downgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index('ix_review_trainer_id', ['trainer_id'], unique=False)
        batch_op.drop_index('ix_review_trainer_decided')
