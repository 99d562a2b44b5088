"""Each programme's review time target (programme.yaml review_target_days) and an absence's reason

Revision ID: a11c0a7e5e17
Revises: b4c5d6e7f809
Create Date: 2026-12-03 15:20:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a11c0a7e5e17'
down_revision = 'b4c5d6e7f809'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('programme', sa.Column('review_target_days', sa.Integer(), nullable=False, server_default='7'))
    op.add_column('trainer_absence', sa.Column('reason', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('trainer_absence') as batch_op:
        batch_op.drop_column('reason')
    with op.batch_alter_table('programme') as batch_op:
        batch_op.drop_column('review_target_days')
