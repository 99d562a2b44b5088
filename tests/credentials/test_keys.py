"""Issuer keys: created by the CLI, private parts outside the database, every public key published."""

import json
import os
import stat
from pathlib import Path

from sqlalchemy import inspect, select

from lms.credentials import keys
from lms.credentials.models import CredentialKey
from lms.credentials.services import verify_online
from lms.extensions import db
from tests.certificates.conftest import decide, submit
from tests.credentials.conftest import certificate_of, credential_of


def test_keys_create_writes_the_private_part_to_a_file_and_publishes_the_public_one(app, runner):
    result = runner.invoke(args=["credentials", "keys", "create"])
    assert result.exit_code == 0, result.output
    key = db.session.scalar(select(CredentialKey))
    private_file = Path(app.config["CREDENTIAL_KEYS_DIR"]) / f"{key.name}.jwk"
    assert stat.S_IMODE(os.stat(private_file).st_mode) == 0o600
    assert "d" in json.loads(private_file.read_text())
    # Nothing private in the database: every column of the key row holds public data only.
    assert set(key.public_jwk) == {"kty", "crv", "x", "alg", "use"}
    columns = {column["name"] for column in inspect(db.engine).get_columns("credential_key")}
    assert columns == {"id", "name", "public_jwk", "created_at"}
    assert keys.signing_key()[0] == key.name


def test_jwks_is_public_and_names_each_key_by_its_stable_url(client, signing_key):
    response = client.get("/credentials/jwks.json")
    assert response.status_code == 200
    (published,) = response.get_json()["keys"]
    assert published["kid"] == f"https://akademia.example/credentials/keys/{signing_key}"
    assert published["kty"] == "OKP" and published["crv"] == "Ed25519" and "d" not in published
    assert client.get(f"/credentials/keys/{signing_key}").get_json() == published
    assert client.get("/credentials/keys/no-such-key").status_code == 404


def test_private_key_from_an_environment_variable(app, runner):
    result = runner.invoke(args=["credentials", "keys", "create", "--print-private"])
    assert result.exit_code == 0, result.output
    private = json.loads(result.stdout.strip().splitlines()[-1])
    name = db.session.scalar(select(CredentialKey.name))
    assert not (Path(app.config["CREDENTIAL_KEYS_DIR"]) / f"{name}.jwk").exists()
    assert keys.signing_key() is None  # this server has no private part yet
    app.config["CREDENTIAL_PRIVATE_KEY"] = json.dumps(private)
    try:
        assert keys.signing_key()[0] == name
    finally:
        app.config["CREDENTIAL_PRIVATE_KEY"] = ""


def test_after_a_rotation_old_and_new_credentials_verify(client, world, signing_key):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    old = credential_of(certificate_of(world["animator"]))
    keys.create_key()  # rotation: the newer key signs from now on
    db.session.commit()
    decide(submit(world["colleague"], world["edition"], "profil"), world["trainer"])
    new = credential_of(certificate_of(world["colleague"]))
    assert old.key_name == signing_key and new.key_name != signing_key
    assert verify_online(old.token).valid and verify_online(new.token).valid
    assert len(client.get("/credentials/jwks.json").get_json()["keys"]) == 2
