"""Module completions kept for the reports

Revision ID: 898ae8d27aec
Revises: 09c5c468bdc2
Create Date: 2026-11-23 17:53:11.253138

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '898ae8d27aec'
down_revision = '09c5c468bdc2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('module_completion',
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_module_completion_edition_id_edition')),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_module_completion_module_id_module')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_module_completion_user_id_user')),
    sa.PrimaryKeyConstraint('edition_id', 'user_id', 'module_id', name=op.f('pk_module_completion'))
    )
    with op.batch_alter_table('module_completion', schema=None) as batch_op:
        batch_op.create_index('ix_module_completion_report', ['edition_id', 'module_id', 'completed_at'], unique=False)
    # What lms.learning.completions computes, as it stood when this was written: per enrolment, the
    # active modules whose counted assignments (the required ones, or all when none is required) all
    # have an accepted work, the person's own or (institution scope) their institution's.
    op.execute(COMPLETIONS)


COMPLETIONS = """
WITH counted AS (
    SELECT module.id AS module_id, module.programme_id, av.assignment_id, av.scope
    FROM module JOIN assignment_version av ON av.module_version_id = module.current_version_id
    WHERE module.retired = false AND (av.required = true OR NOT EXISTS (
        SELECT 1 FROM assignment_version r WHERE r.module_version_id = module.current_version_id AND r.required = true
    ))
), need AS (
    SELECT module_id, count(*) AS n FROM counted GROUP BY module_id
), done AS (
    SELECT enrolment.edition_id, enrolment.user_id, counted.module_id, work.accepted_at
    FROM enrolment
    JOIN "user" ON "user".id = enrolment.user_id
    JOIN edition ON edition.id = enrolment.edition_id
    JOIN counted ON counted.programme_id = edition.programme_id
    JOIN work ON work.edition_id = enrolment.edition_id AND work.assignment_id = counted.assignment_id
        AND work.status = 'accepted'
        AND (counted.scope = 'person' AND work.learner_id = enrolment.user_id
             OR counted.scope = 'institution' AND work.learner_id IS NULL AND work.institution_id = "user".institution_id)
)
INSERT INTO module_completion (edition_id, user_id, module_id, completed_at)
SELECT done.edition_id, done.user_id, done.module_id, max(done.accepted_at)
FROM done JOIN need ON need.module_id = done.module_id
GROUP BY done.edition_id, done.user_id, done.module_id, need.n
HAVING count(*) = need.n
"""



def downgrade():
    with op.batch_alter_table('module_completion', schema=None) as batch_op:
        batch_op.drop_index('ix_module_completion_report')

    op.drop_table('module_completion')
