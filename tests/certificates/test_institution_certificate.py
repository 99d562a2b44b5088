"""The institution certificate: live checklist, application, award after the visit, revocation."""

import html
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms import pagecache
from lms.base import polish_today, utcnow
from lms.certificates import services
from lms.certificates.checklist import institution_checklist
from lms.certificates.models import ApplicationStatus, Certificate, CertificateKind, CertificationApplication
from lms.extensions import db
from lms.support.models import Consultation, ConsultationForm, IndicatorReport, ReportStatus
from tests.certificates.conftest import decide, submit
from tests.conftest import login, post_form

VISIT = services.Visit(date(2026, 11, 2), "Anna Admin, Piotr Wizytator", "Zespół pracuje metodą CAL.")


def add_consultation(world):
    db.session.add(
        Consultation(
            institution_id=world["institution"].id, programme_id=world["programme"].id,
            logged_by_id=world["trainer"].id, held_on=date(2026, 10, 1), duration_minutes=90,
            form=ConsultationForm.ON_SITE, consultant="Tomasz Trener", topic="Mapa zasobów",
        )
    )  # fmt: skip
    db.session.commit()


def add_indicator_report(world, status=ReportStatus.ACCEPTED):
    db.session.add(
        IndicatorReport(
            institution_id=world["institution"].id, programme_id=world["programme"].id,
            period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), values={"wolontariusze": 12},
            submitted_by_id=world["coordinator"].id, status=status,
        )
    )  # fmt: skip
    db.session.commit()


def complete_everything(world):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    decide(submit(world["coordinator"], world["edition"], "mapa"), world["trainer"])
    add_consultation(world)
    add_indicator_report(world)


def items(world):
    checklist = institution_checklist(world["institution"], world["programme"])
    return [(str(item.label), item.met) for item in checklist.items], checklist


def test_checklist_states_each_criterion_from_the_programme_rules(world):
    state, checklist = items(world)
    assert state == [
        ("Osoby z zaświadczeniem", False),
        ("Mapa potrzeb i zasobów", False),
        ("Konsultacje Poziomu II", False),
        ("Zaakceptowany raport wskaźników", False),
    ]
    assert checklist.percent == 0 and not checklist.complete

    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    assert [met for _, met in items(world)[0]] == [True, False, False, False]
    decide(submit(world["coordinator"], world["edition"], "mapa"), world["trainer"])
    assert [met for _, met in items(world)[0]] == [True, True, False, False]
    add_consultation(world)
    add_indicator_report(world, ReportStatus.RETURNED)
    assert [met for _, met in items(world)[0]] == [True, True, True, False]
    add_indicator_report(world)
    state, checklist = items(world)
    assert checklist.complete and checklist.percent == 100
    assert items(world)[1].items[0].detail == "1 / 1"


def test_application_refused_while_the_checklist_is_incomplete(world):
    with pytest.raises(services.CertificationError):
        services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.rollback()
    assert db.session.scalars(select(CertificationApplication)).all() == []


def test_award_refused_when_the_checklist_became_incomplete(world):
    complete_everything(world)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    [certificate] = db.session.scalars(select(Certificate)).all()
    services.revoke(certificate, world["admin"], "Zaświadczenie wydane omyłkowo.")
    db.session.commit()
    with pytest.raises(services.CertificationError):
        services.award(application, world["admin"], VISIT)
    db.session.rollback()
    assert db.session.get(CertificationApplication, application.id).status is ApplicationStatus.SUBMITTED


def test_award_after_the_visit_issues_a_certificate_valid_three_years(world):
    complete_everything(world)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    certificate = services.award(application, world["admin"], VISIT)
    db.session.commit()
    assert certificate.kind is CertificateKind.INSTITUTION and certificate.holder_id is None
    assert certificate.valid_until.year == utcnow().year + 3
    assert application.status is ApplicationStatus.AWARDED and application.visitors == VISIT.visitors
    assert institution_checklist(world["institution"], world["programme"]).certificate.id == certificate.id
    with pytest.raises(services.CertificationError):
        services.award(application, world["admin"], VISIT)  # decided once


def test_returning_needs_feedback(world):
    complete_everything(world)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    with pytest.raises(services.CertificationError):
        services.return_application(application, world["admin"], "  ")
    services.return_application(application, world["admin"], "Prosimy o uzupełnienie dokumentacji wolontariatu.")
    db.session.commit()
    assert application.status is ApplicationStatus.RETURNED


def test_only_admins_award_and_the_coordinator_applies_through_the_page(app, world):
    complete_everything(world)
    coordinator = app.test_client()
    login(coordinator, world["coordinator"])
    page = f"/institutions/{world['institution'].id}/certification/"
    html = coordinator.get(page).get_data(as_text=True)
    assert "Mapa potrzeb i zasobów" in html
    response = post_form(
        coordinator,
        f"/institutions/{world['institution'].id}/certification/{world['programme'].id}/apply",
        token_from=page,
    )
    assert response.status_code == 302
    application = db.session.scalar(select(CertificationApplication))
    portfolio = f"/admin/certification/{application.id}/"
    assert coordinator.get(portfolio).status_code == 403
    trainer = app.test_client()
    login(trainer, world["trainer"])
    assert trainer.post(portfolio, data={"award": "1"}).status_code in (400, 403)
    admin = app.test_client()
    login(admin, world["admin"])
    response = post_form(
        admin,
        portfolio,
        {"visit_on": "2026-11-02", "visitors": VISIT.visitors, "findings": VISIT.findings, "award": "1"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CertificationApplication, application.id).status is ApplicationStatus.AWARDED


@pytest.mark.parametrize(
    ("visit_on", "message"),
    [
        ("2030-01-01", "Wizytacja musi się już odbyć: jej data nie może być późniejsza niż dzisiejsza"),
        (
            "2025-12-31",
            "Data wizytacji nie może być wcześniejsza niż początek udziału instytucji w programie (1 stycznia 2026)",
        ),
        ("1999-05-05", "Wybierz datę od 1 stycznia 2000 do 31 grudnia 2100."),
        ("2026-02-30", "Podaj prawidłową datę (RRRR-MM-DD)."),
    ],
)
def test_a_visit_after_today_or_before_the_institution_began_awards_nothing(app, world, visit_on, message):
    complete_everything(world)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    admin = app.test_client()
    login(admin, world["admin"])
    data = {"visit_on": visit_on, "visitors": VISIT.visitors, "findings": VISIT.findings, "award": "1"}
    response = post_form(admin, f"/admin/certification/{application.id}/", data)
    assert response.status_code == 200
    assert message in html.unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(CertificationApplication, application.id).status is ApplicationStatus.SUBMITTED
    assert db.session.scalars(select(Certificate).where(Certificate.kind == CertificateKind.INSTITUTION)).all() == []


def test_a_visit_today_or_on_the_first_day_of_the_programme_is_accepted(world):
    complete_everything(world)
    for visit_on in (polish_today(), date(2026, 1, 1)):
        application = services.apply(world["institution"], world["programme"], world["coordinator"])
        visit = services.Visit(visit_on, VISIT.visitors, VISIT.findings)
        assert services.award(application, world["admin"], visit).valid_until is not None
        db.session.commit()
        services.revoke(application.certificate, world["admin"], "Sprawdzenie ponownego wniosku.")
        db.session.commit()


def test_expired_and_revoked_certificates_show_so_on_the_verify_page(app, world, client):
    complete_everything(world)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    certificate = services.award(application, world["admin"], VISIT)
    db.session.commit()
    url = f"/verify/{certificate.code}"
    assert "Ważny certyfikat" in client.get(url).get_data(as_text=True)
    assert "GOPS w Żółkiewce" in client.get("/registry/").get_data(as_text=True)

    certificate.valid_until = utcnow().date() - timedelta(days=1)
    db.session.commit()
    pagecache.clear(pagecache.REGISTRY)  # as the next day does: the registry's copies are kept per day
    assert "Certyfikat wygasł" in client.get(url).get_data(as_text=True)
    assert "GOPS w Żółkiewce" not in client.get("/registry/").get_data(as_text=True)

    admin = app.test_client()
    login(admin, world["admin"])
    assert post_form(admin, f"/certificates/{certificate.id}/revoke", {"reason": ""}, token_from=url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None  # no reason, nothing changed
    post_form(
        admin,
        f"/certificates/{certificate.id}/revoke",
        {"reason": "Instytucja zakończyła działalność."},
        token_from=url,
    )
    html = client.get(url).get_data(as_text=True)
    assert "Certyfikat unieważniony" in html and "Instytucja zakończyła działalność." in html


def test_a_reports_status_agrees_with_raport_on_the_checklist_and_the_portfolio(app, world):
    """ "raport" is masculine: "zaakceptowany", "zwrócony do poprawy" (an assignment is "zaakceptowane")."""
    complete_everything(world)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    add_indicator_report(world, ReportStatus.RETURNED)  # the latest report, after the accepted one
    coordinator, admin = app.test_client(), app.test_client()
    login(coordinator, world["coordinator"])
    login(admin, world["admin"])
    checklist = coordinator.get(f"/institutions/{world['institution'].id}/certification/").get_data(as_text=True)
    assert "Zaakceptowany raport wskaźników" in checklist and "(ostatni: zwrócony do poprawy)" in checklist
    portfolio = admin.get(f"/admin/certification/{application.id}/").get_data(as_text=True)
    assert ">zaakceptowany</a>" in portfolio and ">zwrócony do poprawy</a>" in portfolio
    report = db.session.scalars(select(IndicatorReport).order_by(IndicatorReport.id.desc())).first()
    report.status = ReportStatus.ACCEPTED
    db.session.commit()
    checklist = coordinator.get(f"/institutions/{world['institution'].id}/certification/").get_data(as_text=True)
    assert "ostatni:" not in checklist  # "Zaakceptowany raport (ostatni: zaakceptowany)" said the same twice
