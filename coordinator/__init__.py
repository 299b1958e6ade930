"""Coordinator: surveys, follow-up, meeting notes and news for the county boards' RUS projects."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from coordinator.config import CONFIGS, check_production_secret, default_sqlite_uri

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. `config` overrides settings read from the environment."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("COORDINATOR_INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    env = (config or {}).get("ENV") or os.environ.get("COORDINATOR_ENV") or "development"
    app.config.from_object(CONFIGS[env])
    app.config.from_prefixed_env("COORDINATOR")
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = default_sqlite_uri(app.instance_path)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic notes each plugin it sets up, on every command: nothing a reader needs.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if env == "production":
        check_production_secret(app.config)
        check_sign_in_settings(app)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        # The client address and scheme come from the last `proxies` hops of
        # X-Forwarded-For/-Proto, which those proxies set; anything earlier is the
        # client's own say and ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from coordinator import models  # noqa: F401  (registers the tables)
    from coordinator.database import init_database
    from coordinator.extensions import csrf, db, limiter, login_manager, mail, migrate
    from coordinator.i18n import init_i18n
    from coordinator.services.surveys.revisions import watch_revisions
    from coordinator.web import init_web

    init_database(app)
    watch_revisions()
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    init_i18n(app)
    init_web(app)
    register_blueprints(app)

    from coordinator.cli import register_commands

    register_commands(app)
    return app


def check_sign_in_settings(app: Flask) -> None:
    """Refuse settings that would leave nobody able to sign in; warn about limits that each
    process counts on its own."""
    if not app.config["PASSWORD_LOGIN"] and not app.config["OIDC_ISSUER"]:
        raise RuntimeError("PASSWORD_LOGIN=false needs single sign-on: set OIDC_ISSUER")
    if app.config["OIDC_ISSUER"] and not app.config["OIDC_CLIENT_ID"]:
        raise RuntimeError("OIDC_ISSUER is set but OIDC_CLIENT_ID is not")
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        logging.getLogger("coordinator").warning(
            "RATELIMIT_STORAGE_URI is memory://: every worker process counts the per-address "
            "rate limits on its own, so with N workers a client gets N times the limit. Set "
            "RATELIMIT_STORAGE_URI=redis://... to share them (the per-account login delay is "
            "kept in the database and shared either way)."
        )


def register_blueprints(app: Flask) -> None:
    from coordinator.admin.views import bp as admin_bp
    from coordinator.auth.sso import bp as sso_bp
    from coordinator.auth.two_factor import bp as two_factor_bp
    from coordinator.auth.views import bp as auth_bp
    from coordinator.mail.views import bp as mail_bp
    from coordinator.main.views import bp as main_bp
    from coordinator.projects.views import bp as projects_bp
    from coordinator.register.views import bp as register_bp
    from coordinator.respond import board_views  # noqa: F401 - its routes join respond's
    from coordinator.respond.meeting_views import bp as meeting_answer_bp
    from coordinator.respond.views import bp as respond_bp
    from coordinator.results.shared_views import bp as shared_results_bp
    from coordinator.results.views import bp as results_bp
    from coordinator.surveys import mail_texts  # noqa: F401 - adds its pages to surveys_bp
    from coordinator.surveys.labels import init_labels
    from coordinator.surveys.views import bp as surveys_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(sso_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(register_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(meeting_answer_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(shared_results_bp)
    app.register_blueprint(projects_bp)
    init_labels(app)
