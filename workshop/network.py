"""Which address phones should use: the public URL when configured, else this machine's LAN address.

Phones cannot reach `localhost`, so when the server listens on every interface the links it
prints and puts into QR codes use an address of a real network interface instead.
"""
from __future__ import annotations

import ipaddress
import socket

import psutil
from flask import request

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def lan_addresses() -> list[str]:
    """IPv4 addresses of interfaces that are up, private LAN ranges first; no loopback or link-local."""
    stats = psutil.net_if_stats()
    found: list[ipaddress.IPv4Address] = []
    for name, addresses in psutil.net_if_addrs().items():
        if name in stats and not stats[name].isup:
            continue
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.IPv4Address(address.address)
            if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
                continue
            found.append(ip)
    found.sort(key=lambda ip: (not ip.is_private, str(ip)))
    return [str(ip) for ip in found]


def base_url(public_url: str, host: str, port: int, scheme: str = "http") -> str:
    """The base URL to print and to put in QR codes."""
    if public_url:
        return public_url.rstrip("/")
    if host in WILDCARD_HOSTS:
        candidates = lan_addresses()
        host = candidates[0] if candidates else "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + ("" if port == default_port else f":{port}")


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
    if netloc.startswith("["):  # [::1]:5000
        host, _, rest = netloc[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = netloc.partition(":")
    return host, int(port) if port.isdigit() else default


def phone_base_url(public_url: str, request_host: str, scheme: str, listen_host: str | None) -> str:
    """The base URL phones use, seen from a request that reached this server as `request_host`.

    `WORKSHOP_PUBLIC_URL` wins. A real address the browser used is what phones use too. A
    loopback one (the screen is on the server's own machine) becomes the LAN address with the
    same port, unless the server listens on loopback alone, where no other address answers.
    """
    if public_url:
        return public_url.rstrip("/")
    scheme = scheme if scheme in ("http", "https") else "http"
    host, port = split_host(request_host, scheme)
    if not is_loopback(host):
        return f"{scheme}://{request_host}"
    if listen_host is not None and listen_host not in WILDCARD_HOSTS:
        return base_url("", listen_host, port, scheme)
    return base_url("", "0.0.0.0", port, scheme)


def address_key(address: str | None = None) -> str:
    """The key a client's address is counted under by every rate limit (the live layer's and the
    organizer login's): by default this request's address; an IPv6 client by its /64, since one
    device may hold a whole /64; an IPv4-mapped IPv6 address as the IPv4 address it is."""
    address = address or request.remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
