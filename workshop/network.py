"""Which address phones should use: the public URL when configured, else this machine's LAN address.

Phones cannot reach `localhost`, so when the server listens on every interface the links it
prints and puts into QR codes use an address of a real network interface instead.
"""
from __future__ import annotations

import ipaddress
import socket

import psutil

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
