"""The live pages over HTTP: the phone's join page, the facilitator's and projector's secret
links, the QR code of the join link, and what every page promises (strict CSP, no inline
script or style, user text escaped)."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from workshop import catalog, network
from workshop.services import sessions
from workshop.services.sessions import SessionSettings
from workshop.web import qr

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def make(store, config):
    """Create a session in the app's store; return its id, join code and link keys."""
    def build(**settings):
        settings.setdefault("title", "ประเมิน PMQA ปี 2569")
        with store.session() as db:
            created = sessions.create_session(db, catalog.get_framework("pmqa-4.0"), SessionSettings(**settings))
            return {"id": created.id, "code": created.join_code,
                    "facilitator": sessions.link_key(config.secret_key, created, "facilitator"),
                    "projector": sessions.link_key(config.secret_key, created, "projector")}
    return build


def pages_of(found) -> dict[str, str]:
    return {"participant": f"/j/{found['code']}",
            "facilitator": f"/facilitate/{found['id']}/{found['facilitator']}",
            "projector": f"/projector/{found['id']}/{found['projector']}"}


def test_the_join_link_opens_the_phone_page_with_the_session_code_for_the_script(client, make):
    found = make()
    page = client.get(f"/j/{found['code']}?lang=th")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'data-code="{found["code"]}"' in html
    assert "ประเมิน PMQA ปี 2569" in html
    assert '<script type="application/json" id="i18n">' in html
    assert re.search(r"/static/js/participant\.[0-9a-f]{12}\.js", html)
    assert re.search(r"/static/vendor/socket\.io\.min\.[0-9a-f]{12}\.js", html)


def test_a_code_typed_in_lower_case_lands_on_the_canonical_join_link(client, make):
    found = make()
    response = client.get(f"/j/{found['code'].lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{found['code']}")


def test_an_unknown_join_code_gets_a_friendly_not_found_page(client, make):
    make()
    response = client.get("/j/ZZZZZZ?lang=en")
    assert response.status_code == 404
    assert "No workshop has this code" in response.get_data(as_text=True)


def test_the_home_form_normalizes_the_typed_code_and_redirects_to_the_join_page(client, make):
    found = make()
    typed = f" {found['code'][:3].lower()} {found['code'][3:]} "
    response = client.get("/join", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{found['code']}")


@pytest.mark.parametrize("typed", ["", "0OIL1", "ZZZZZZ", "x" * 40])
def test_a_wrong_typed_code_goes_back_home_with_a_message(client, make, typed):
    make()
    response = client.get("/join", query_string={"code": typed, "lang": "en"}, follow_redirects=True)
    assert response.request.path == "/"
    assert "No workshop has this code" in response.get_data(as_text=True)


def test_the_phone_says_before_joining_whether_the_session_is_anonymous_or_named(client, make):
    anonymous = client.get(f"/j/{make(anonymous=True)['code']}?lang=en").get_data(as_text=True)
    named = client.get(f"/j/{make(anonymous=False, roles=('executive', 'staff'))['code']}?lang=en").get_data(as_text=True)
    assert "Anonymous session." in anonymous and 'id="join-name"' not in anonymous
    assert "Named session." in named and 'id="join-name"' in named
    assert '<option value="executive">executive</option>' in named


@pytest.mark.parametrize("role", ["facilitator", "projector"])
def test_the_secret_links_open_their_page_with_the_key_for_the_socket(client, make, role):
    found = make()
    response = client.get(pages_of(found)[role])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'data-session="{found["id"]}"' in html and f'data-key="{found[role]}"' in html


@pytest.mark.parametrize("role", ["facilitator", "projector"])
def test_a_wrong_key_or_session_opens_nothing(client, make, role):
    found, other = make(), make()
    prefix = "facilitate" if role == "facilitator" else "projector"
    wrong_role = "projector" if role == "facilitator" else "facilitator"
    for path in (f"/{prefix}/{found['id']}/not-the-key",
                 f"/{prefix}/{found['id']}/{found[wrong_role]}",
                 f"/{prefix}/{other['id']}/{found[role]}",
                 f"/{prefix}/s_unknown/{found[role]}",
                 f"/{prefix}/{found['id']}/{'k' * 200}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert found[role] not in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["participant", "facilitator", "projector"])
def test_every_live_page_sends_the_strict_csp_and_has_no_inline_script_or_style(client, make, page):
    response = client.get(pages_of(make(anonymous=False, roles=("staff",)))[page])
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    html = response.get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    for body in re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S):
        if body.strip():
            json.loads(body)  # data, not code
    assert "<style" not in html and "style=" not in html
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


def test_the_script_strings_are_json_in_the_page_language(client, make):
    found = make()
    html = client.get(f"/j/{found['code']}?lang=en").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="i18n">(.*?)</script>', html, flags=re.S).group(1)
    strings = json.loads(block)
    assert strings["not_sure"] == "Not sure"
    assert strings["conn_reconnecting"]


@pytest.mark.parametrize("page", ["participant", "facilitator", "projector"])
def test_a_hostile_session_title_is_shown_escaped(client, make, page):
    found = make(title=HOSTILE, organization='"><img src=x onerror=alert(2)>', roles=("<b>boss</b>",),
                 anonymous=False)
    html = client.get(pages_of(found)[page]).get_data(as_text=True)
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>boss</b>" not in html


def test_the_qr_code_is_an_svg_of_the_join_link(client, make):
    found = make()
    response = client.get(f"/qr/{found['code']}.svg", base_url="http://192.168.1.23:5000")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "max-age" in response.headers["Cache-Control"] and response.headers["ETag"]
    svg = response.get_data(as_text=True)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.findall(".//{http://www.w3.org/2000/svg}path")
    assert svg == qr.qr_svg(f"http://192.168.1.23:5000/j/{found['code']}")


def test_the_qr_code_answers_a_repeated_request_with_not_modified(client, make):
    found = make()
    first = client.get(f"/qr/{found['code']}.svg", base_url="http://192.168.1.23:5000")
    again = client.get(f"/qr/{found['code']}.svg", base_url="http://192.168.1.23:5000",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_qr_code_of_an_unknown_code_is_not_found(client, make):
    make()
    assert client.get("/qr/ZZZZZZ.svg").status_code == 404


def test_the_public_url_wins_in_the_qr_code(app, make):
    found = make()
    app.config["WORKSHOP"] = replace(app.config["WORKSHOP"], public_url="https://workshop.example.go.th")
    svg = app.test_client().get(f"/qr/{found['code']}.svg").get_data(as_text=True)
    assert svg == qr.qr_svg(f"https://workshop.example.go.th/j/{found['code']}")


def test_a_projector_opened_as_localhost_never_puts_localhost_in_the_qr_code(client, make, monkeypatch):
    found = make()
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.7.40"])
    svg = client.get(f"/qr/{found['code']}.svg", base_url="http://localhost:5000").get_data(as_text=True)
    assert svg == qr.qr_svg(f"http://192.168.7.40:5000/j/{found['code']}")
    page = client.get(pages_of(found)["projector"], base_url="http://localhost:5000").get_data(as_text=True)
    assert f"192.168.7.40:5000/j/{found['code']}" in page and "localhost" not in page


def test_a_server_listening_on_loopback_only_keeps_its_loopback_address():
    assert network.phone_base_url("", "127.0.0.1:8123", "http", "127.0.0.1") == "http://127.0.0.1:8123"
    assert network.phone_base_url("", "[::1]:8123", "http", "::1") == "http://[::1]:8123"
    assert network.phone_base_url("https://x.example/", "localhost", "http", None) == "https://x.example"


def test_the_facilitator_reaches_the_development_plan_from_the_control_page(client, make):
    found = make()
    html = client.get(pages_of(found)["facilitator"]).get_data(as_text=True)
    plan = f"/facilitate/{found['id']}/{found['facilitator']}/plan"
    assert f'href="{plan}"' in html
    assert client.get(plan).status_code == 200
