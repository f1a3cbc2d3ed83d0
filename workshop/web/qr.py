"""The QR code on the projector: the join link of a session as an SVG image.

The link is built from `WORKSHOP_PUBLIC_URL`, else from the address the request came in on,
else (the projector opened on the server's own machine as `localhost`) from the machine's LAN
address with the request's port: phones can never reach `localhost`. Only a server that
listens on loopback alone (`run --host 127.0.0.1`, as the tests do) keeps a loopback address.
"""
from __future__ import annotations

import ipaddress

import qrcode
from qrcode.image.svg import SvgPathFillImage

from .. import network

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
    """`192.168.1.5:5000` -> ("192.168.1.5", 5000); the scheme's port when none is given."""
    default = 443 if scheme == "https" else 80
    if netloc.startswith("["):
        host, _, rest = netloc[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = netloc.partition(":")
    return host, int(port) if port.isdigit() else default


def join_base_url(public_url: str, request_host: str, scheme: str, listen_host: str | None) -> str:
    """The base URL phones use to reach this server."""
    if public_url:
        return public_url.rstrip("/")
    scheme = scheme if scheme in ("http", "https") else "http"
    host, port = split_host(request_host, scheme)
    if not is_loopback(host):
        return f"{scheme}://{request_host}"
    if listen_host is not None and listen_host not in network.WILDCARD_HOSTS:
        return network.base_url("", listen_host, port, scheme)
    return network.base_url("", "0.0.0.0", port, scheme)


def join_url(base_url: str, join_code: str) -> str:
    return f"{base_url}/j/{join_code}"


def qr_svg(data: str) -> str:
    """An SVG (one path on a white square, scalable to any size) of the QR code for `data`."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=SvgPathFillImage)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")
