"""Each background job's last run and totals, for the system status page and /metrics

Revision ID: 0e5a1b2c3d4f
Revises: c4a1f7e2b9d3
Create Date: 2026-12-03 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0e5a1b2c3d4f'
down_revision = 'c4a1f7e2b9d3'
branch_labels = None
depends_on = None


def upgrade():
    # A new table only: the running web service never reads it before the new code is deployed.
    op.create_table('job_state',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_started_at', sa.DateTime(), nullable=True),
    sa.Column('last_finished_at', sa.DateTime(), nullable=True),
    sa.Column('last_succeeded', sa.Boolean(), nullable=True),
    sa.Column('last_outcome', sa.String(length=500), nullable=True),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_state'))
    )


def downgrade():
    op.drop_table('job_state')
