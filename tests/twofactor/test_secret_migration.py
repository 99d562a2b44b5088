"""Migration e7c0d75ea1ed encrypts the TOTP secrets already stored, and its downgrade decrypts them."""

from cryptography.fernet import Fernet
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from lms import create_app
from lms.accounts import services as accounts
from lms.accounts.models import Role
from lms.extensions import db
from tests.test_migrations import empty_database_url  # noqa: F401  (the fixture: a new database of the suite's kind)

BEFORE = "c0f1a2b3d4e5"
PLAIN = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_existing_secrets_are_encrypted_on_upgrade_and_decrypted_on_downgrade(empty_database_url):  # noqa: F811
    key = Fernet.generate_key().decode()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "TOTP_ENCRYPTION_KEY": key,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        }
    )
    with app.app_context():
        upgrade()
        person = accounts.create_user("trener@example.org", "Trener", "Zielona-Łąka-2026", [Role.TRAINER])
        db.session.commit()
        downgrade(revision=BEFORE)  # a database as the previous release left it: the secret in plain text
        db.session.execute(
            text("INSERT INTO second_factor (user_id, secret, created_at) VALUES (:user, :secret, CURRENT_TIMESTAMP)"),
            {"user": person.id, "secret": PLAIN},
        )
        db.session.commit()

        upgrade()
        stored = db.session.execute(text("SELECT secret FROM second_factor")).scalar_one()
        assert PLAIN not in stored
        assert Fernet(key).decrypt(stored.encode()).decode() == PLAIN
        db.session.commit()

        downgrade(revision=BEFORE)
        assert db.session.execute(text("SELECT secret FROM second_factor")).scalar_one() == PLAIN
        db.session.remove()
        db.engine.dispose()
