"""``flask twofactor``: the key that encrypts the TOTP secrets, and its rotation (README, "Kopie zapasowe")."""

import click
from cryptography.fernet import Fernet
from flask.cli import AppGroup

from lms.extensions import db
from lms.twofactor.services import encrypt_again_with_the_current_key

twofactor_cli = AppGroup("twofactor", help="Two-step sign-in: the key that encrypts the TOTP secrets.")


@twofactor_cli.command("new-key")
def new_key_command() -> None:
    """Print a new random key for LMS_TOTP_ENCRYPTION_KEY (nothing is changed)."""
    click.echo(Fernet.generate_key().decode())


@twofactor_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Encrypt every TOTP secret again with LMS_TOTP_ENCRYPTION_KEY; then the old keys can be dropped."""
    done, unreadable = encrypt_again_with_the_current_key()
    db.session.commit()
    click.echo(f"TOTP secrets encrypted again with the current key: {done}.")
    if unreadable:
        people = ", ".join(f"#{person}" for person in unreadable)
        raise click.ClickException(
            f"No configured key opens the secret of person {people}: reset their two-step sign-in "
            "(Administracja → Osoby) or add the key they were encrypted with to LMS_TOTP_ENCRYPTION_OLD_KEYS."
        )
