"""TOTP secrets encrypted at rest with a key of their own (LMS_TOTP_ENCRYPTION_KEY)

Revision ID: e7c0d75ea1ed
Revises: c0f1a2b3d4e5
Create Date: 2026-12-03 18:10:00

The column keeps its name and only widens: the previous release, serving while this runs, still finds it.
Between this upgrade and the reload it cannot read the encrypted secrets, so a code typed in those seconds
fails (a recovery code works). Run with the same environment (LMS_TOTP_ENCRYPTION_KEY, or the same
instance/ folder) as the web service, or nobody's code will be accepted afterwards.
"""
import re

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


# revision identifiers, used by Alembic.
revision = 'e7c0d75ea1ed'
down_revision = 'c0f1a2b3d4e5'
branch_labels = None
depends_on = None

# What pyotp.random_base32() gives; an encrypted secret (a Fernet token, "gAAAAA…") never looks like this.
_PLAIN_SECRET = re.compile(r"[A-Z2-7]+=*")
_second_factor = sa.table('second_factor', sa.column('id', sa.Integer), sa.column('secret', sa.String))


def _keys():
    """The current key first; the migration reads the same configuration as the app (lms/config.py)."""
    config = current_app.config
    return MultiFernet([Fernet(key) for key in (config['TOTP_ENCRYPTION_KEY'], *config['TOTP_ENCRYPTION_OLD_KEYS'])])


def _rewrite(change):
    connection = op.get_bind()
    rows = connection.execute(sa.select(_second_factor.c.id, _second_factor.c.secret)).all()
    for row_id, secret in rows:
        changed = change(row_id, secret)
        if changed != secret:
            connection.execute(
                _second_factor.update().where(_second_factor.c.id == row_id).values(secret=changed)
            )


def upgrade():
    with op.batch_alter_table('second_factor', schema=None) as batch_op:
        batch_op.alter_column(
            'secret', existing_type=sa.String(length=32), type_=sa.String(length=255), existing_nullable=False
        )
    keys = _keys()

    def encrypt(_row_id, secret):
        return keys.encrypt(secret.encode()).decode() if _PLAIN_SECRET.fullmatch(secret) else secret

    _rewrite(encrypt)


def downgrade():
    keys = _keys()

    def decrypt(row_id, secret):
        if _PLAIN_SECRET.fullmatch(secret):
            return secret
        try:
            return keys.decrypt(secret.encode()).decode()
        except InvalidToken:
            raise RuntimeError(
                f'second_factor #{row_id}: no configured key (LMS_TOTP_ENCRYPTION_KEY, LMS_TOTP_ENCRYPTION_OLD_KEYS) '
                'decrypts its secret, so it cannot be stored in plain text again. Set the key it was encrypted '
                'with, or delete that row (the person sets the app up again).'
            ) from None

    _rewrite(decrypt)
    with op.batch_alter_table('second_factor', schema=None) as batch_op:
        batch_op.alter_column(
            'secret', existing_type=sa.String(length=255), type_=sa.String(length=32), existing_nullable=False
        )
