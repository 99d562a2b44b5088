"""No data revisions; outbox delivery claims and retries; job lock

Revision ID: 4a8e446eb599
Revises: 3f74c6f993de
Create Date: 2026-12-03 09:29:30.549072

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4a8e446eb599'
down_revision = '3f74c6f993de'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_lock',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=64), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_lock'))
    )
    op.drop_table('data_revision')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))



def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('last_error')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('claimed_until')

    op.create_table('data_revision',
    sa.Column('scope', sa.VARCHAR(length=40), nullable=False),
    sa.Column('number', sa.BIGINT(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_data_revision'))
    )
    op.drop_table('job_lock')
