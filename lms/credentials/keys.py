"""The issuer's Ed25519 signing keys: created by ``flask credentials keys create``, published as a JWKS.

The database keeps only public keys, and keeps every one of them: a credential signed years ago
names its key by URL (``kid``) and must still verify after a rotation. The private part of a key is
read from ``LMS_CREDENTIAL_PRIVATE_KEY`` (one private JWK) or from ``<CREDENTIAL_KEYS_DIR>/<name>.jwk``.
The newest key whose private part this server has signs.
"""

import json
import os
from pathlib import Path

from flask import current_app
from joserfc.jwk import OKPKey
from sqlalchemy import select

from lms.base import utcnow
from lms.credentials.models import CredentialKey
from lms.extensions import db
from lms.urls import absolute_url, path_for


class SigningKeyError(RuntimeError):
    """A key cannot be created or read; the message says why."""


def key_url(name: str) -> str:
    """The stable address of one public key: the ``kid`` every credential names."""
    return absolute_url(path_for("credentials.public_key", name=name))


def jwks_url() -> str:
    """The stable address of every published key."""
    return absolute_url(path_for("credentials.jwks"))


def published_keys() -> list[CredentialKey]:
    """Every key ever created, oldest first."""
    return list(db.session.scalars(select(CredentialKey).order_by(CredentialKey.id)))


def jwks() -> dict:
    """The JWK Set of every published key, each with its URL as ``kid``."""
    return {"keys": [{**key.public_jwk, "kid": key_url(key.name)} for key in published_keys()]}


def _keys_dir() -> Path:
    return Path(current_app.config["CREDENTIAL_KEYS_DIR"])


def create_key(write_file: bool = True) -> tuple[CredentialKey, dict]:
    """Generate an Ed25519 key, publish its public part and return it with the private JWK.

    With ``write_file`` the private JWK goes to ``<CREDENTIAL_KEYS_DIR>/<name>.jwk`` (mode 0600); without,
    the caller hands it to the operator for LMS_CREDENTIAL_PRIVATE_KEY. The caller commits.
    """
    name = f"{utcnow():%Y-%m-%d}-{os.urandom(3).hex()}"
    key = OKPKey.generate_key("Ed25519")
    private = {**key.as_dict(private=True), "kid": name}
    if write_file:
        folder = _keys_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(folder / f"{name}.jwk", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(private, handle)
    public = {k: v for k, v in key.as_dict(private=False).items() if k in ("kty", "crv", "x")}
    row = CredentialKey(name=name, public_jwk={**public, "alg": "EdDSA", "use": "sig"})
    db.session.add(row)
    db.session.flush()
    return row, private


def _private_parts() -> dict[str, dict]:
    """Private JWKs this server has, by key name."""
    found = {}
    folder = _keys_dir()
    if folder.is_dir():
        for path in folder.glob("*.jwk"):
            try:
                data = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            found[data.get("kid") or path.stem] = data
    from_env = current_app.config.get("CREDENTIAL_PRIVATE_KEY")
    if from_env:
        try:
            data = json.loads(from_env)
        except ValueError as error:
            raise SigningKeyError("LMS_CREDENTIAL_PRIVATE_KEY is not a JSON Web Key.") from error
        found[data.get("kid", "")] = data
    return found


def signing_key() -> tuple[str, OKPKey] | None:
    """(name, private key) of the newest published key this server can sign with; None if it has none."""
    private = _private_parts()
    if not private:
        return None
    for key in reversed(published_keys()):
        if key.name in private:
            jwk = private[key.name]
            if jwk.get("x") != key.public_jwk.get("x"):
                raise SigningKeyError(f"The private key {key.name} does not match its published public key.")
            return key.name, OKPKey.import_key({k: v for k, v in jwk.items() if k in ("kty", "crv", "x", "d")})
    return None


def can_sign() -> bool:
    """Whether this server has a usable signing key (a private part matching a published key)."""
    try:
        return signing_key() is not None
    except SigningKeyError:
        return False
