"""The base URL of links handed to phones (join link, QR code), from the request being served.

One rule for the organizer's pages, the projector, the QR code and the live snapshot: see
`workshop.network.phone_base_url`. `python -m workshop run` records the address it listens on.
The organizer's pages (web/) and the live snapshot (live/) both need it, so it sits beside them.
"""
from __future__ import annotations

from flask import current_app, request

from . import network

LISTEN_HOST = "WORKSHOP_LISTEN_HOST"  # app.config key set by `python -m workshop run`


def request_base_url() -> str:
    config = current_app.config["WORKSHOP"]
    return network.phone_base_url(config.public_url, request.host, request.scheme,
                                  current_app.config.get(LISTEN_HOST))
