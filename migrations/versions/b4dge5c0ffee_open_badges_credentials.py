"""Open Badges credentials: signing keys, status lists, issued credentials; expiry reminders and renewals

Revision ID: b4dge5c0ffee
Revises: 7e3f4a5b6c7d
Create Date: 2026-12-03 12:50:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b4dge5c0ffee'
down_revision = '7e3f4a5b6c7d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'credential_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('public_jwk', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'status_list',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=80), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('bits', sa.LargeBinary(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('issuer', 'purpose'),
    )
    op.create_table(
        'issued_credential',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('credential_id', sa.String(length=64), nullable=False),
        sa.Column('status_list_id', sa.Integer(), nullable=False),
        sa.Column('status_index', sa.Integer(), nullable=False),
        sa.Column('key_name', sa.String(length=64), nullable=False),
        sa.Column('token', sa.Text(), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id']),
        sa.ForeignKeyConstraint(['status_list_id'], ['status_list.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('certificate_id'),
        sa.UniqueConstraint('credential_id'),
        sa.UniqueConstraint('status_list_id', 'status_index'),
    )
    op.create_table(
        'expiry_reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('days_before', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('certificate_id', 'days_before'),
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renews_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('continuous_since', sa.Date(), nullable=True))
        batch_op.create_index('ix_certificate_renews_id', ['renews_id'], unique=False)
        batch_op.create_foreign_key('fk_certificate_renews_id', 'certificate', ['renews_id'], ['id'])
    with op.batch_alter_table('certification_application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renews_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_certification_application_renews_id', 'certificate', ['renews_id'], ['id'])


def downgrade():
    with op.batch_alter_table('certification_application', schema=None) as batch_op:
        batch_op.drop_constraint('fk_certification_application_renews_id', type_='foreignkey')
        batch_op.drop_column('renews_id')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint('fk_certificate_renews_id', type_='foreignkey')
        batch_op.drop_index('ix_certificate_renews_id')
        batch_op.drop_column('continuous_since')
        batch_op.drop_column('renews_id')
    op.drop_table('expiry_reminder')
    op.drop_table('issued_credential')
    op.drop_table('status_list')
    op.drop_table('credential_key')
