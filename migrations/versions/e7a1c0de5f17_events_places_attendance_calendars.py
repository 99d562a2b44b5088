"""Events of an edition with registrations (places, waiting list, attendance), calendar feed tokens,
and the programme's declared events

Revision ID: e7a1c0de5f17
Revises: 16a9f1c0de01
Create Date: 2026-12-03 13:15:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7a1c0de5f17'
down_revision = '16a9f1c0de01'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE (no batch copy): SQLite cannot drop a table other rows refer to.
    op.add_column('programme', sa.Column('events', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table(
        'event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('training', 'study_visit', 'seminar', 'consultation', 'meeting', name='eventkind',
                                  native_enum=False, length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('level', sa.Integer(), nullable=True),
        sa.Column('module_id', sa.Integer(), nullable=True),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('place', sa.String(length=300), nullable=False),
        sa.Column('online_url', sa.String(length=500), nullable=False),
        sa.Column('host_institution_id', sa.Integer(), nullable=True),
        sa.Column('trainer_id', sa.Integer(), nullable=True),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('agenda', sa.Text(), nullable=False),
        sa.Column('agenda_html', sa.Text(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id']),
        sa.ForeignKeyConstraint(['host_institution_id'], ['institution.id']),
        sa.ForeignKeyConstraint(['module_id'], ['module.id']),
        sa.ForeignKeyConstraint(['trainer_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_event_edition_start', 'event', ['edition_id', 'starts_at'], unique=False)
    op.create_table(
        'registration',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('registered_by_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('registered', 'waiting', 'withdrawn', name='registrationstatus',
                                    native_enum=False, length=20), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.Column('attended', sa.Boolean(), nullable=True),
        sa.Column('attendance_marked_by_id', sa.Integer(), nullable=True),
        sa.Column('attendance_marked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['attendance_marked_by_id'], ['user.id']),
        sa.ForeignKeyConstraint(['event_id'], ['event.id']),
        sa.ForeignKeyConstraint(['registered_by_id'], ['user.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id', 'user_id'),
    )
    op.create_index('ix_registration_event_status', 'registration', ['event_id', 'status', 'id'], unique=False)
    op.create_index('ix_registration_user', 'registration', ['user_id', 'status'], unique=False)
    op.create_table(
        'calendar_token',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('user_id'),
        sa.UniqueConstraint('token'),
    )


    op.create_table(
        'trainer_share',
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('share', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('edition_id', 'user_id'),
    )
    op.create_table(
        'trainer_absence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_trainer_absence_user_id', 'trainer_absence', ['user_id'], unique=False)
    op.create_table(
        'work_assignment',
        sa.Column('work_id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('trainer_id', sa.Integer(), nullable=False),
        sa.Column('assigned_at', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id']),
        sa.ForeignKeyConstraint(['trainer_id'], ['user.id']),
        sa.ForeignKeyConstraint(['work_id'], ['work.id']),
        sa.PrimaryKeyConstraint('work_id'),
    )
    op.create_index('ix_work_assignment_edition_id', 'work_assignment', ['edition_id'], unique=False)
    op.create_index('ix_work_assignment_trainer_id', 'work_assignment', ['trainer_id'], unique=False)
    op.create_table(
        'review_reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('threshold_days', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('attempt_id', 'threshold_days'),
    )


def downgrade():
    op.drop_table('review_reminder')
    op.drop_index('ix_work_assignment_trainer_id', table_name='work_assignment')
    op.drop_index('ix_work_assignment_edition_id', table_name='work_assignment')
    op.drop_table('work_assignment')
    op.drop_index('ix_trainer_absence_user_id', table_name='trainer_absence')
    op.drop_table('trainer_absence')
    op.drop_table('trainer_share')
    op.drop_table('calendar_token')
    op.drop_index('ix_registration_user', table_name='registration')
    op.drop_index('ix_registration_event_status', table_name='registration')
    op.drop_table('registration')
    op.drop_index('ix_event_edition_start', table_name='event')
    op.drop_table('event')
    op.drop_column('programme', 'events')
