"""The base URL of the links an organizer hands out, seen from the request that asks for them.

`WORKSHOP_PUBLIC_URL` wins. Otherwise, when the organizer reached the server by a real address
(say http://192.168.1.23:5000), that address is what phones use too. When the organizer is on
the server's own machine (localhost), phones cannot use that: the links take the machine's LAN
address with the request's port, unless the server listens on loopback only (`run --host
127.0.0.1`, as the tests do), where no other address would answer.
"""
from __future__ import annotations

import ipaddress

from flask import current_app, request

from ... import network

LISTEN_HOST = "WORKSHOP_LISTEN_HOST"  # set by `python -m workshop run`
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def split_host(netloc: str, scheme: str) -> tuple[str, int]:
    default = 443 if scheme == "https" else 80
    if netloc.startswith("["):  # [::1]:5000
        host, _, rest = netloc[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = netloc.partition(":")
    return host, int(port) if port.isdigit() else default


def request_base_url() -> str:
    config = current_app.config["WORKSHOP"]
    if config.public_url:
        return config.public_url.rstrip("/")
    scheme = request.scheme if request.scheme in ("http", "https") else "http"
    host, port = split_host(request.host, scheme)
    if not is_loopback(host):
        return f"{scheme}://{request.host}"
    listen = current_app.config.get(LISTEN_HOST)
    if listen is not None and listen not in network.WILDCARD_HOSTS:
        return network.base_url("", listen, port, scheme)
    return network.base_url("", "0.0.0.0", port, scheme)
