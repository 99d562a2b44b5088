"""Drafts carry a version number; trainers keep a comment bank

Revision ID: e14a5eed0001
Revises: b4dge5c0ffee
Create Date: 2026-12-03 12:50:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e14a5eed0001'
down_revision = 'b4dge5c0ffee'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('work', sa.Column('draft_version', sa.Integer(), server_default='0', nullable=False))
    op.create_table(
        'saved_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('trainer_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['trainer_id'], ['user.id'], name=op.f('fk_saved_comment_trainer_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_comment')),
    )
    with op.batch_alter_table('saved_comment', schema=None) as batch_op:
        batch_op.create_index('ix_saved_comment_trainer', ['trainer_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_comment', schema=None) as batch_op:
        batch_op.drop_index('ix_saved_comment_trainer')
    op.drop_table('saved_comment')
    # Not in a batch: recreating ``work`` on SQLite would break the foreign keys pointing at it.
    op.drop_column('work', 'draft_version')
