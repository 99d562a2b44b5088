"""Behind HTTPS (LMS_SECURE_COOKIES=1) browsers are told never to use plain HTTP for the site again."""

from lms import create_app
from lms.security import HSTS


def test_hsts_is_sent_only_when_the_site_runs_on_https(client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    monkeypatch.setenv("LMS_SECURE_COOKIES", "1")
    secure = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    response = secure.test_client().get("/healthz", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == HSTS == "max-age=31536000; includeSubDomains"
    assert secure.config["SESSION_COOKIE_SECURE"] and secure.config["REMEMBER_COOKIE_SECURE"]
