"""digibuddy: match residents who need digital help with volunteer digibuddies."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> "Flask":  # noqa: F821
    """Build the application; `config` overrides settings read from the environment (tests use it)."""
    # Imported here so that pure domain modules (matching, life cycles) can be used without Flask.
    from .core.flask_app import Flask

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from .settings import check_production_secret_key, from_environment

    app.config.from_mapping(from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)
    if app.config["ENV_NAME"] == "production":
        check_production_secret_key(app.config.get("SECRET_KEY"))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def trust_proxies(app) -> None:
    """Behind TRUSTED_PROXY_HOPS reverse proxies, the client's address (log-in limits, the audit log) and
    the scheme and host come from their X-Forwarded-* headers; with 0 nobody can forge them."""
    hops = app.config.get("TRUSTED_PROXY_HOPS") or 0
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app) -> None:
    from . import models  # noqa: F401  (the whole schema, for Alembic)
    from .core import sessions
    from .core.i18n import install_template_callables, select_locale
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .models import include_in_schema

    sessions.register(app)
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        include_object=include_in_schema,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_timezone=app.config["BABEL_DEFAULT_TIMEZONE"])
    install_template_callables(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"

    from .core.i18n import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    from .accounts.models import User

    @login_manager.user_loader
    def load_user(session_id):
        """The user of a session, on every request: only while their account is active and the session
        belongs to their current session generation (User.get_id, User.end_sessions)."""
        from sqlalchemy.orm import joinedload

        user_id, _sep, generation = str(session_id).partition(":")
        try:
            # The user with their memberships (and each membership's network) and volunteer profile in one
            # statement: every page reads them for the menu, the roles and the scoping.
            user = db.session.get(
                User,
                int(user_id),
                options=[joinedload(User.memberships), joinedload(User.volunteer_profile)],
            )
        except (TypeError, ValueError):
            return None
        if user is None or not user.is_active or generation != str(user.session_generation or 0):
            return None
        return user

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from .core.sqlite import enable_sqlite_pragmas

        with app.app_context():
            enable_sqlite_pragmas(db.engine)


def register_blueprints(app) -> None:
    """Every area's pages, in one list: each area's views module defines one `bp`."""
    from .accounts import views as accounts
    from .admin import views as admin
    from .admin import views_catalogue as catalogue
    from .admin import views_settings as network_settings
    from .admin import views_training as training_admin
    from .core.scoping import IdConverter
    from .events import views as events
    from .health import views as health
    from .matching import views as matching
    from .network import views as network
    from .network import views_audit as audit
    from .network import views_coverage as coverage
    from .network import views_outbox as outbox
    from .notifications import webhooks as sms
    from .outcomes import views as outcomes
    from .outreach import views as outreach
    from .practices import views as practices
    from .privacy import views as privacy
    from .public import views as public
    from .reports import views as reports
    from .requests import views_public as requests_public
    from .requests import views_staff as requests_staff
    from .scheduling import views as scheduling
    from .scheduling import views_dropins as dropins
    from .volunteers import views as volunteers
    from .volunteers import views_training as volunteer_training

    app.url_map.converters["id"] = IdConverter  # `<id:thing_id>`: an id past the column's range is a 404
    for module in (
        health,
        public,
        accounts,
        network,
        admin,
        catalogue,
        coverage,
        training_admin,
        network_settings,
        requests_public,
        requests_staff,
        matching,
        scheduling,
        dropins,
        outreach,
        outbox,
        audit,
        volunteers,
        volunteer_training,
        outcomes,
        reports,
        practices,
        events,
        privacy,
        sms,
    ):
        app.register_blueprint(module.bp)
    if app.config.get("DEV_MESSAGES_PAGE"):  # development only: every message, readable without logging in
        app.register_blueprint(outbox.dev_bp)
    # The SMS provider's webhook hands residents' answers to the scheduling area (which knows sessions).
    from .scheduling.replies import handle_reply

    app.extensions[sms.REPLY_HANDLER] = handle_reply


def register_errorhandlers(app) -> None:
    from .core.errors import register
    from .core.security import register as register_security

    register(app)
    register_security(app)


def register_template_helpers(app) -> None:
    from .core import templating
    from .reference import templating as reference_templating

    templating.register(app)
    reference_templating.register(app)


def register_commands(app) -> None:
    from .demo.commands import demo_cli
    from .reference.commands import refdata_cli
    from .reports.commands import reports_cli
    from .scheduler.commands import scheduler_cli

    app.cli.add_command(refdata_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(reports_cli)
