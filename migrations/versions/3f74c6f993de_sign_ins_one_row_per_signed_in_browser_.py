"""Sign-ins: one row per signed-in browser, replacing the per-person session version

Revision ID: 3f74c6f993de
Revises: 898ae8d27aec
Create Date: 2026-12-03 09:37:49.591643

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f74c6f993de'
down_revision = '898ae8d27aec'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sign_in_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_sign_in_secret_hash'))
    )
    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_user_id'), ['user_id'], unique=False)

    # Existing sessions carried the session version: everyone signs in again once. Not in batch mode:
    # rebuilding "user" on SQLite would break every foreign key to it (SQLite 3.35+ drops a column itself).
    op.drop_column('user', 'session_version')



def downgrade():
    op.add_column('user', sa.Column('session_version', sa.INTEGER(), nullable=False, server_default='1'))

    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_user_id'))

    op.drop_table('sign_in')
