"""HTTP layer: registers the blueprints and the headers every response carries."""
from __future__ import annotations

from flask import Flask

from ..domain.limits import TEXT_LIMITS

# Scripts and styles come only from files the app serves itself: no inline code, no CDN.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def register_blueprints(app: Flask) -> None:
    from .home import bp as home_bp
    from .organizer import bp as organizer_bp, init_app as init_organizer
    from .pages import bp as pages_bp

    from .plan import bp as plan_bp  # the plan editor (organizer and facilitator)
    from .plenary import bp as plenary_bp  # the merged results of working groups
    for blueprint in (home_bp, pages_bp, organizer_bp, plan_bp, plenary_bp):
        app.register_blueprint(blueprint)
    init_organizer(app)  # the organizer's login, CSRF tokens and login throttle
    # Every page knows the text limits: its inputs' maxlength and its scripts' data-limits.
    app.context_processor(lambda: {"text_limits": TEXT_LIMITS})
    from . import errors, routing

    routing.init_app(app)  # the cookie a proxy routes by when several workers serve

    errors.init_app(app)  # a WorkshopError a route lets through: JSON or text, its status

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Secret links (facilitator, setup) must never leak to another site through Referer.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
