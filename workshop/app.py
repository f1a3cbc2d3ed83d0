"""The application factory: the Flask app with its store, translations, HTTP blueprints and
Socket.IO handlers."""
from __future__ import annotations

from flask import Flask

from .config import PROJECT_ROOT, Config
from .extensions import socketio


def create_app(config: Config | None = None) -> Flask:
    config = config or Config.from_env()
    app = Flask(
        "workshop",  # the package: translations/ and the root path live there
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        WORKSHOP=config,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    from . import i18n
    from .services.units import EXTENSION as STORE
    from .store.db import Store
    from .web.cookie_session import PageSessionInterface

    app.session_interface = PageSessionInterface()

    i18n.init_app(app)
    # Under gevent no database call may block the hub (a locked SQLite file included).
    app.extensions[STORE] = Store.open(config.database_url,
                                       cooperative=config.async_mode == "gevent")

    from . import live
    from .live import wire_json
    from .web import register_blueprints

    register_blueprints(app)
    from .web import static_files

    static_files.init_app(app, config.data_dir)  # hashed names, gzip/Brotli, cached a year
    socketio.init_app(
        app,
        async_mode=config.async_mode,
        message_queue=config.redis_url or None,
        max_http_buffer_size=64 * 1024,
        json=wire_json,
        serializer=wire_json.Packet,
    )
    live.init_app(app)
    return app
