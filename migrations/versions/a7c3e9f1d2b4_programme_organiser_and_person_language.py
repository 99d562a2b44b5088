"""A programme names its organiser (the certificates' issuer); a person keeps a chosen language

Revision ID: a7c3e9f1d2b4
Revises: 6d2e3f4a5b6c
Create Date: 2026-12-03 12:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e9f1d2b4'
down_revision = '6d2e3f4a5b6c'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN: a batch operation would copy both tables, which other tables reference.
def upgrade():
    op.add_column('programme', sa.Column('organiser', sa.String(length=200), nullable=False, server_default=''))
    op.add_column('user', sa.Column('language', sa.String(length=5), nullable=True))


def downgrade():
    op.drop_column('user', 'language')
    op.drop_column('programme', 'organiser')
