"""Two-step sign-in: a person's TOTP secret and their single-use recovery codes

Revision ID: 7f0a2fac70e1
Revises: e7a1c0de5f17
Create Date: 2026-12-03 15:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7f0a2fac70e1'
down_revision = 'e7a1c0de5f17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'second_factor',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.Column('last_step', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_recovery_code_user_id', 'recovery_code', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_recovery_code_user_id', table_name='recovery_code')
    op.drop_table('recovery_code')
    op.drop_table('second_factor')
