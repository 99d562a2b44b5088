"""Data revision counters for cached page fragments

Revision ID: 09c5c468bdc2
Revises: dbe3599811f5
Create Date: 2026-11-23 15:17:57.109088

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '09c5c468bdc2'
down_revision = 'dbe3599811f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_revision',
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_data_revision'))
    )


def downgrade():
    op.drop_table('data_revision')
