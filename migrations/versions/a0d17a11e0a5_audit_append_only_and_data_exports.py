"""The audit log becomes append-only on PostgreSQL and is searchable by object; personal-data exports
built in the background

Revision ID: a0d17a11e0a5
Revises: a11c0a7e5e17
Create Date: 2026-12-03 15:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

from lms.audit import append_only

# revision identifiers, used by Alembic.
revision = 'a0d17a11e0a5'
down_revision = 'a11c0a7e5e17'
branch_labels = None
depends_on = None

# Details that named a person or a file (which may name a person) before the log named objects by id
# only: removed once, before the log can no longer change.
_NAMING_DETAILS = {
    'invitation.created': ('email',),
    'attachment.added': ('filename',),
    'attachment.removed': ('filename',),
    'file.purged': ('filename',),
}


def upgrade():
    op.create_index('ix_audit_event_object', 'audit_event', ['object_type', 'object_id'], unique=False)
    op.create_table(
        'data_export',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('ready_at', sa.DateTime(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_data_export_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_export')),
    )
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_export_user_id'), ['user_id'], unique=False)

    audit = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('action', sa.String),
                     sa.column('details', sa.JSON))
    connection = op.get_bind()
    rows = connection.execute(sa.select(audit.c.id, audit.c.action, audit.c.details)
                              .where(audit.c.action.in_(list(_NAMING_DETAILS)))).all()
    for row in rows:
        details = {key: value for key, value in (row.details or {}).items() if key not in _NAMING_DETAILS[row.action]}
        if details != row.details:
            connection.execute(sa.update(audit).where(audit.c.id == row.id).values(details=details))

    if connection.dialect.name == 'postgresql':
        op.execute(append_only.FUNCTION)
        op.execute(append_only.TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in append_only.DROP:
            op.execute(statement)
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_export_user_id'))
    op.drop_table('data_export')
    op.drop_index('ix_audit_event_object', table_name='audit_event')
