"""Work remembers when it was accepted

Revision ID: dbe3599811f5
Revises: 4affdd681581
Create Date: 2026-11-23 14:45:40.793741

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dbe3599811f5'
down_revision = '4affdd681581'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(), nullable=True))
    # Accepted work: the decision of its last attempt (acceptance is final).
    op.execute(
        "UPDATE work SET accepted_at = ("
        " SELECT review.decided_at FROM attempt JOIN review ON review.attempt_id = attempt.id"
        " WHERE attempt.work_id = work.id AND attempt.number = work.attempt_count AND review.decision = 'accepted'"
        ") WHERE status = 'accepted'"
    )
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_report'))
        batch_op.create_index('ix_work_report', ['edition_id', 'status', 'assignment_id', 'learner_id', 'institution_id', 'accepted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.drop_index('ix_work_report')
        batch_op.create_index(batch_op.f('ix_work_report'), ['edition_id', 'status', 'assignment_id', 'learner_id', 'institution_id', 'attempt_count'], unique=False)
        batch_op.drop_column('accepted_at')
