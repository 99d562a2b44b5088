"""A person keeps a chosen language

Revision ID: a7c3e9f1d2b4
Revises: e14a5eed0001
Create Date: 2026-12-03 12:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e9f1d2b4'
down_revision = 'e14a5eed0001'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN: a batch operation would copy the table, which other tables reference.
def upgrade():
    op.add_column('user', sa.Column('language', sa.String(length=5), nullable=True))


def downgrade():
    op.drop_column('user', 'language')
