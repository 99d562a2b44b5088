"""``flask users create-admin EMAIL``: the only way to make the first administrator."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from lms.accounts import services
from lms.accounts.models import Role
from lms.accounts.passwords import password_problems
from lms.audit.services import record
from lms.extensions import db

users_cli = AppGroup("users", help="People and their access.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", help="Full name (asked for when creating an account).")
@click.option("--password", help="Password (asked for, hidden, when creating an account).")
def create_admin(email: str, name: str | None, password: str | None) -> None:
    """Create an administrator account, or grant the role to an existing account."""
    existing = services.find_user_by_email(email)
    if existing is not None:
        existing.grant(Role.ADMIN)
        record(existing, "user.admin_granted_by_cli", existing)
        db.session.commit()
        click.echo(_("%(email)s is now an administrator.", email=existing.email))
        return
    if "@" not in email or len(email) > 254:
        raise click.UsageError(_("Not an e-mail address: %(email)s", email=email))
    name = name or click.prompt(_("Full name"))
    password = password or click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    problems = password_problems(password, email)
    if problems:
        raise click.UsageError(" ".join(problems))
    user = services.create_user(email, name, password, [Role.ADMIN])
    db.session.commit()
    click.echo(_("Administrator %(email)s created.", email=user.email))
