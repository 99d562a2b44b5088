"""Institution deliverables confirmed by their coordinator before trainers see them

Revision ID: c0f1a2b3d4e5
Revises: d1e5da7e0c17
Create Date: 2026-12-03 15:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0f1a2b3d4e5'
down_revision = 'd1e5da7e0c17'
branch_labels = None
depends_on = None


def upgrade():
    # Attempts made before confirmation existed stay as they are: unconfirmed and already with trainers.
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attempt_confirmed_by_id'), ['confirmed_by_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_attempt_confirmed_by_id_user'), 'user', ['confirmed_by_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempt_confirmed_by_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attempt_confirmed_by_id'))
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('confirmed_by_id')
