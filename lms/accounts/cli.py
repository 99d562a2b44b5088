"""``flask users create-admin EMAIL``: the only way to make the first administrator."""

import click
from flask.cli import AppGroup

from lms.accounts import services
from lms.accounts.models import Role
from lms.accounts.passwords import password_problems
from lms.extensions import db

users_cli = AppGroup("users", help="People and their access.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", prompt="Full name", help="The administrator's full name.")
@click.password_option("--password", prompt="Password", help="Asked for interactively when omitted.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account (or grant the role to an existing account)."""
    existing = services.find_user_by_email(email)
    if existing is not None:
        existing.grant(Role.ADMIN)
        services.record(existing, "user.admin_granted_by_cli", existing)
        db.session.commit()
        click.echo(f"{existing.email} is now an administrator.")
        return
    problems = password_problems(password, email)
    if problems:
        raise click.UsageError(" ".join(problems))
    if "@" not in email or len(email) > 254:
        raise click.UsageError(f"Not an e-mail address: {email}")
    user = services.create_user(email, name, password, [Role.ADMIN])
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")
