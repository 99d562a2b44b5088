"""Akademia CAL: the application factory."""

from pathlib import Path

from flask import Flask

from lms.config import PROJECT_ROOT, load_config, settle_public_address
from lms.ids import DatabaseIdConverter


def create_app(config: dict | None = None) -> Flask:
    """Create the app; ``config`` overrides settings read from the environment (tests use it)."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.url_map.converters["int"] = DatabaseIdConverter  # before any route is registered
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    settle_public_address(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    register_operations(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from lms import (
        database,  # noqa: F401  (installs the SQLite connection tuning)
        delivery,
        i18n,
        pagecache,
        security,
    )
    from lms.access.checks import use_rules
    from lms.auth.policy import OBJECT_RULES, private_verdict
    from lms.auth.session import load_user
    from lms.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    pagecache.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.register(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    use_rules(OBJECT_RULES, private=private_verdict)
    security.register(app)
    delivery.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount every feature's blueprint."""
    from lms.accounts.second_step import blueprint as second_step
    from lms.accounts.views import blueprint as accounts
    from lms.admin.audit_views import blueprint as audit_log
    from lms.admin.editions import blueprint as editions
    from lms.admin.institutions import blueprint as institutions
    from lms.admin.views import blueprint as admin
    from lms.api.views import blueprint as api
    from lms.api.views import tokens_blueprint as api_tokens
    from lms.certificates.views import blueprint as certificates
    from lms.credentials.views import blueprint as credentials
    from lms.dashboards.views import blueprint as dashboards
    from lms.events.views import blueprint as events
    from lms.figures.views import blueprint as figures
    from lms.learning.views import blueprint as learning
    from lms.main.catalogue import blueprint as content
    from lms.main.views import blueprint as main
    from lms.notifications.views import blueprint as notifications
    from lms.privacy.views import blueprint as privacy
    from lms.reports.views import blueprint as reports
    from lms.reviews.views import blueprint as reviews
    from lms.rights.views import blueprint as rights
    from lms.support.views import blueprint as support
    from lms.trainers.admin_views import blueprint as trainer_admin
    from lms.trainers.views import blueprint as trainers

    blueprints = (
        main, content, accounts, institutions, editions, admin, learning, reviews, notifications, support, certificates,
        credentials, dashboards, reports, api, api_tokens, figures, privacy, rights, events, second_step,
        trainers, trainer_admin, audit_log,
    )  # fmt: skip
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages (JSON under /api/) for every HTTP error."""
    from lms.errors import register

    register(app)


def register_operations(app: Flask) -> None:
    """Proxy headers, request logs, metrics, error reporting, /readyz, /metrics and the system status page."""
    from lms.ops import hooks

    hooks.register(app)


def register_commands(app: Flask) -> None:
    """Add the ``flask`` CLI command groups."""
    from lms.accounts.cli import users_cli
    from lms.credentials.cli import credentials_cli
    from lms.demo.cli import demo_cli
    from lms.jobs.cli import jobs_cli
    from lms.learning.cli import progress_cli
    from lms.learning.courses_cli import courses_cli
    from lms.mail.cli import mail_cli
    from lms.notifications.cli import notifications_cli
    from lms.ops.cli import backup_cli
    from lms.rights.cli import privacy_cli
    from lms.twofactor.cli import twofactor_cli

    groups = (
        courses_cli,
        users_cli,
        demo_cli,
        mail_cli,
        notifications_cli,
        progress_cli,
        jobs_cli,
        credentials_cli,
        backup_cli,
        privacy_cli,
        twofactor_cli,
    )
    for group in groups:
        app.cli.add_command(group)
