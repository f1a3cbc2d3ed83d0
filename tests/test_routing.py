"""Routing in front of several workers: the cookie every page sets before its Socket.IO
handshake, and the nginx configuration that routes by it (workshop/web/routing.py,
workshop/nginx.py)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from workshop.cli import main
from workshop.nginx import site, standalone
from workshop.web.routing import ROUTE_COOKIE


def test_a_page_gives_the_phone_its_routing_cookie_before_the_handshake(client):
    answer = client.get("/")
    cookie = answer.headers.get("Set-Cookie", "")
    assert cookie.startswith(f"{ROUTE_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_phone_that_has_the_cookie_keeps_it(client):
    client.set_cookie(ROUTE_COOKIE, "mine")
    assert ROUTE_COOKIE not in client.get("/").headers.get("Set-Cookie", "")


def test_the_health_check_sets_no_cookie(client):
    assert "Set-Cookie" not in client.get("/healthz").headers


def test_nginx_routes_by_the_cookie_never_by_address():
    text = site(["127.0.0.1:8001", "127.0.0.1:8002"], "80")
    assert f"hash $cookie_{ROUTE_COOKIE} consistent;" in text
    assert "ip_hash" not in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "proxy_buffering off;" in text
    assert "proxy_read_timeout 120s;" in text  # past the ping interval (25 s) + timeout (20 s)
    assert text.count("server 127.0.0.1:800") == 2


def test_nginx_without_workers_is_refused():
    with pytest.raises(ValueError):
        site([], "80")


def test_the_generated_configuration_is_valid_for_nginx(tmp_path):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not shutil.which(binary):
        pytest.fail("nginx not found: install it (Debian: apt-get install nginx)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(standalone(["127.0.0.1:8001"], "127.0.0.1:8080", str(tmp_path)))
    checked = subprocess.run([binary, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "e.log"),
                              "-c", str(conf)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr


def test_the_command_line_prints_the_site_for_an_it_officer():
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["nginx-config", "--worker", "10.0.0.5:8001",
                                       "--worker", "10.0.0.6:8001", "--listen", "443 ssl"])
    assert result.exit_code == 0, result.output
    assert "server 10.0.0.6:8001" in result.output and "listen 443 ssl;" in result.output
