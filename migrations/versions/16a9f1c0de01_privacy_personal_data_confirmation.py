"""Privacy: confirmations that found personal data may stay, erasures, the notice, purged files, retention

Revision ID: 16a9f1c0de01
Revises: 0e5a1b2c3d4f
Create Date: 2026-12-03 13:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '16a9f1c0de01'
down_revision = '0e5a1b2c3d4f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'personal_data_confirmation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column(
            'reason',
            sa.Enum('consented', 'institution_data', 'not_personal', name='keepreason', native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column('found', sa.JSON(), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], ),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('attempt_id'),
    )
    op.create_table(
        'erasure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('erased_at', sa.DateTime(), nullable=False),
        sa.Column('erased_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['erased_by_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_table(
        'privacy_notice_seen',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('seen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'purged_file',
        sa.Column('stored_file_id', sa.Integer(), nullable=False),
        sa.Column('purged_at', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], ),
        sa.PrimaryKeyConstraint('stored_file_id'),
    )
    # A plain ADD COLUMN: a batch copy of ``programme`` would have to drop a table that rows refer to.
    op.add_column('programme', sa.Column('retention', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    op.drop_column('programme', 'retention')
    op.drop_table('purged_file')
    op.drop_table('privacy_notice_seen')
    op.drop_table('erasure')
    op.drop_table('personal_data_confirmation')
