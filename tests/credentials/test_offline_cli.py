"""``flask credentials verify FILE``: the same checks offline, from saved keys and status list files."""

from lms.certificates import services
from lms.extensions import db
from tests.credentials.conftest import credential_of


def _save(client, tmp_path, token: str):
    (tmp_path / "credential.jwt").write_text(token)
    (tmp_path / "jwks.json").write_bytes(client.get("/credentials/jwks.json").data)
    (tmp_path / "status.jwt").write_bytes(client.get("/credentials/status/mini/revocation").data)
    return [str(tmp_path / "credential.jwt"), "--keys", str(tmp_path / "jwks.json"),
            "--status-list", str(tmp_path / "status.jwt")]  # fmt: skip


def test_offline_verification_of_a_valid_credential(client, runner, tmp_path, person_certificate):
    arguments = _save(client, tmp_path, credential_of(person_certificate).token)
    result = runner.invoke(args=["credentials", "verify", *arguments])
    assert result.exit_code == 0, result.output
    assert "Podpis zgadza się" in result.output and "Wynik: valid" in result.output


def test_offline_verification_reports_revocation_and_tampering(client, runner, tmp_path, person_certificate, world):
    token = credential_of(person_certificate).token
    services.revoke(person_certificate, world["admin"], "Plagiat.")
    db.session.commit()
    arguments = _save(client, tmp_path, token)
    result = runner.invoke(args=["credentials", "verify", *arguments])
    assert result.exit_code == 1 and "Poświadczenie zostało unieważnione." in result.output
    header, payload, signature = token.split(".")
    (tmp_path / "credential.jwt").write_text(f"{header}.{payload[:-4]}AAAA.{signature}")
    result = runner.invoke(args=["credentials", "verify", *arguments])
    assert result.exit_code == 1 and "Wynik: revoked" not in result.output


def test_offline_verification_without_the_status_list_says_it_could_not_check(
    client, runner, tmp_path, person_certificate
):
    arguments = _save(client, tmp_path, credential_of(person_certificate).token)[:3]
    result = runner.invoke(args=["credentials", "verify", *arguments])
    assert result.exit_code == 1 and "Nie udało się odczytać listy unieważnień." in result.output


def test_a_status_list_signed_by_someone_else_is_refused(client, runner, tmp_path, person_certificate):
    arguments = _save(client, tmp_path, credential_of(person_certificate).token)
    (tmp_path / "status.jwt").write_text("eyJhbGciOiJub25lIn0.e30.")
    result = runner.invoke(args=["credentials", "verify", *arguments])
    assert result.exit_code != 0 and "not a status list signed" in result.output
