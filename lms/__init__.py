"""Akademia CAL: the application factory."""

from pathlib import Path

from flask import Flask

from lms.config import PROJECT_ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    """Create the app; ``config`` overrides settings read from the environment (tests use it)."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from lms import (
        database,  # noqa: F401  (installs the SQLite connection tuning)
        i18n,
    )
    from lms.extensions import babel, bootstrap, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.register(app)
    bootstrap.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount every feature's blueprint."""
    from lms.content.views import blueprint as content
    from lms.main.views import blueprint as main

    app.register_blueprint(main)
    app.register_blueprint(content)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages (JSON under /api/) for every HTTP error."""
    from lms.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    """Add the ``flask`` CLI command groups."""
    from lms.content.cli import courses_cli
    from lms.demo.cli import demo_cli

    app.cli.add_command(courses_cli)
    app.cli.add_command(demo_cli)
