"""The SBO course site: application factory."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application. `config` (tests) overrides everything else."""
    templates = ROOT / "templates"
    if not (templates / "base.html").is_file():
        raise RuntimeError(
            f"templates/ not found at {templates}: run the site from a checkout "
            "or an editable install (pip install -e .)"
        )
    instance_path = (config or {}).get("INSTANCE_PATH") or ROOT / "instance"
    app = Flask(
        __name__,
        template_folder=str(templates),
        static_folder=str(ROOT / "static"),
        instance_path=str(instance_path),
        instance_relative_config=True,
    )
    from .filters import Environment

    app.jinja_environment = Environment  # before anything creates app.jinja_env
    from . import config as defaults

    defaults.load(app, config)

    from .extensions import init_extensions

    init_extensions(app)
    from . import reads

    reads.init_app(app)  # the request's reader connection goes back to the pool
    _import_models()

    from . import errors, filters, security

    errors.register(app)
    filters.register(app)
    security.register(app)

    from .catalogue.views import bp as catalogue_bp
    from .certificates.views import bp as certificates_bp
    from .evaluation.views import bp as evaluation_bp
    from .enrolment.views import bp as enrolment_bp
    from .incompany.views import bp as incompany_bp
    from .news.views import bp as news_bp
    from .site.views import bp as site_bp
    from .privacy.views import bp as privacy_bp
    from .staff.views import bp as staff_bp
    from .enrolment import receivers  # noqa: F401  (connects to the catalogue's signals, once)
    from .certificates import receivers as certificate_receivers  # noqa: F401  (numbers frozen once issued)

    app.register_blueprint(site_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(enrolment_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(evaluation_bp)
    app.register_blueprint(incompany_bp)
    app.register_blueprint(news_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(staff_bp, url_prefix="/beheer")

    from . import cli

    cli.register(app)
    from .extensions import trim_template_context

    trim_template_context(app)

    from . import pagecache

    pagecache.init_app(app)  # stored public pages for cookie-less GETs, before Flask's machinery
    return app


def _import_models() -> None:
    """Make every table known to the metadata (migrations, create_all, relationships)."""
    from . import mail  # noqa: F401  (outbox)
    from . import mail_throttle  # noqa: F401  (one mail per address per period)
    from .pagecache import store  # noqa: F401  (page cache generation)
    from . import ratelimit  # noqa: F401  (rate-limit counters)
    from .catalogue import models as catalogue_models  # noqa: F401
    from .staff import models as staff_models  # noqa: F401
    from .news import models as news_models  # noqa: F401
    from .enrolment import models as enrolment_models  # noqa: F401
    from .incompany import models as incompany_models  # noqa: F401
    from .privacy import models as privacy_models  # noqa: F401
    from .attendance import models as attendance_models  # noqa: F401
    from .certificates import models as certificate_models  # noqa: F401
    from .evaluation import models as evaluation_models  # noqa: F401
