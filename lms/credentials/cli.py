"""``flask credentials``: signing keys, and verifying a credential offline from files."""

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from lms.credentials import keys
from lms.credentials.verifying import Trust, status_list_bits, verify
from lms.extensions import db

credentials_cli = AppGroup("credentials", help="Open Badges credentials: signing keys and offline verification.")
keys_cli = AppGroup("keys", help="The issuer's signing keys.")
credentials_cli.add_command(keys_cli)


@keys_cli.command("create")
@click.option(
    "--print-private", is_flag=True,
    help="Print the private key (for LMS_CREDENTIAL_PRIVATE_KEY) instead of writing it to LMS_CREDENTIAL_KEYS_DIR.",
)  # fmt: skip
def create_command(print_private: bool) -> None:
    """Create a new Ed25519 signing key and publish its public part; older keys stay published."""
    row, private = keys.create_key(write_file=not print_private)
    db.session.commit()
    click.echo(f"Key {row.name} published at {keys.key_url(row.name)}")
    if print_private:
        click.echo("Private key (keep it secret; set it as LMS_CREDENTIAL_PRIVATE_KEY):", err=True)
        click.echo(json.dumps(private))
    else:
        click.echo(f"Private key written to {Path(keys._keys_dir()) / (row.name + '.jwk')}")


@keys_cli.command("list")
def list_command() -> None:
    """Every published key, oldest first; the one this server signs with is marked."""
    signer = keys.signing_key() if keys.can_sign() else None
    for key in keys.published_keys():
        mark = "  (signs)" if signer and signer[0] == key.name else ""
        click.echo(f"{key.name}  {key.created_at:%Y-%m-%d}  {keys.key_url(key.name)}{mark}")
    if signer is None:
        click.echo(
            "Warning: this server has no usable signing key. Certificates get no credentials and the status "
            "list answers 503. Create one with: flask credentials keys create",
            err=True,
        )


@credentials_cli.command("verify")
@click.argument("credential_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--keys",
    "keys_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The issuer's published JWKS, saved as a file.",
)
@click.option("--status-list", "status_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="The issuer's status list credential (VC-JWT), saved as a file.")  # fmt: skip
def verify_command(credential_file: str, keys_file: str, status_files: tuple[str, ...]) -> None:
    """Verify a credential (a .jwt file) offline: signature, validity dates and revocation status."""
    try:
        published = {key["kid"]: key for key in json.loads(Path(keys_file).read_text())["keys"]}
    except (ValueError, KeyError, TypeError) as error:
        raise click.ClickException(f"{keys_file}: not a JWKS ({error})") from error
    lists = {}
    for path in status_files:
        found = status_list_bits(Path(path).read_text(), published)
        if found is None:
            raise click.ClickException(f"{path}: not a status list signed with one of the given keys")
        lists[found[0]] = found[1]
    result = verify(Path(credential_file).read_text(), Trust(keys=published, status_bits=lists.get))
    for check in result.checks:
        click.echo(f"{'OK ' if check.passed else 'BŁĄD'}  {check.message}")
    if result.credential:
        click.echo(
            f"{result.credential.get('name', '')} — {result.credential.get('credentialSubject', {}).get('name', '')}"
        )
    click.echo(f"Wynik: {result.state}")
    if not result.valid:
        sys.exit(1)
