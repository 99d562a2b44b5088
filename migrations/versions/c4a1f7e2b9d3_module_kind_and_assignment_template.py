"""Module kind (an introduction counts toward nothing), an assignment's draft template and project flag

Revision ID: c4a1f7e2b9d3
Revises: a7c3e9f1d2b4
Create Date: 2026-12-03 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a1f7e2b9d3'
down_revision = 'a7c3e9f1d2b4'
branch_labels = None
depends_on = None


# Plain ALTER TABLE (SQLite 3.35+ drops columns itself): a batch copy of these tables would break the
# foreign keys that point at their rows.
def upgrade():
    op.add_column('module', sa.Column(
        'kind', sa.Enum('module', 'introduction', name='modulekind', native_enum=False, length=20),
        server_default='module', nullable=False,
    ))
    op.add_column('assignment_version', sa.Column('template', sa.Text(), server_default='', nullable=False))
    op.add_column('assignment_version', sa.Column('project', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.drop_column('assignment_version', 'project')
    op.drop_column('assignment_version', 'template')
    op.drop_column('module', 'kind')
