"""The routing cookie: a random value every page sets before its Socket.IO handshake, so a
proxy in front of several workers (nginx `hash $cookie_workshop_route consistent`, see
docs/deploy.md) sends all of one browser's requests to the same worker. Every phone at a
venue shares one public address, so the client address cannot route.

The value means nothing to the server and carries no identity: it only spreads browsers
over workers. It is set on HTML responses that lack it, for a week.
"""
from __future__ import annotations

import secrets

from flask import Flask, request

ROUTE_COOKIE = "workshop_route"
MAX_AGE_SECONDS = 7 * 24 * 3600


def init_app(app: Flask) -> None:
    @app.after_request
    def set_route_cookie(response):
        if response.mimetype == "text/html" and ROUTE_COOKIE not in request.cookies:
            response.set_cookie(ROUTE_COOKIE, secrets.token_urlsafe(12), max_age=MAX_AGE_SECONDS,
                                httponly=True, samesite="Lax", secure=request.is_secure)
        return response
