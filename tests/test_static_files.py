"""Static files a phone on weak Wi-Fi fetches once (workshop/web/static_files.py): every page's
script and style URL carries a hash of the file's content, is served gzip or Brotli as the
browser asks, and is cached a year, so a reload fetches none of it; a changed file gets a new URL.
"""
from __future__ import annotations

import gzip
import os
import re
import time
from pathlib import Path

import brotli
import pytest
import requests
from flask import Flask, url_for
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.helpers import make_session
from tests.servers import start_server
from workshop.config import PROJECT_ROOT
from workshop.web import static_files

STATIC_URL = re.compile(r'(?:src|href)="(/static/[^"]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.(js|css)$")
A_YEAR = "public, max-age=31536000, immutable"


@pytest.fixture
def join_page(client, store):
    from workshop import catalog
    from workshop.services import sessions
    from workshop.services.sessions import SessionSettings

    with store.session() as db:
        created = sessions.create_session(db, catalog.get_framework("pmqa-4.0"),
                                          SessionSettings(title="ประเมิน PMQA ปี 2569"))
        code = created.join_code
    return client.get(f"/j/{code}?lang=th").get_data(as_text=True)


def source_of(url: str) -> bytes:
    """The file in static/ a versioned URL stands for."""
    relative = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url.removeprefix("/static/"))
    return (PROJECT_ROOT / "static" / relative).read_bytes()


def test_every_script_and_style_of_the_phone_page_is_named_by_its_content(join_page, client):
    urls = STATIC_URL.findall(join_page)
    assert any(url.endswith(".js") for url in urls) and any(url.endswith(".css") for url in urls)
    for url in urls:
        assert HASHED.search(url), url
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["Cache-Control"] == A_YEAR
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.data == source_of(url)


def test_a_phone_that_asks_for_brotli_or_gzip_gets_it_compressed(join_page, client):
    script = next(url for url in STATIC_URL.findall(join_page) if "socket.io" in url)
    original = source_of(script)
    br = client.get(script, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
    assert len(br.data) < len(original) / 2 and brotli.decompress(br.data) == original
    gz = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == original
    plain = client.get(script, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data == original


def test_a_phone_that_asks_again_with_its_copy_gets_not_modified(join_page, client):
    style = next(url for url in STATIC_URL.findall(join_page) if url.endswith(".css"))
    first = client.get(style)
    again = client.get(style, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_a_file_asked_for_by_its_plain_name_is_still_served_but_revalidated(client):
    answer = client.get("/static/js/page.js")
    assert answer.status_code == 200 and "immutable" not in answer.headers.get("Cache-Control", "")


def _app_on(folder: Path) -> Flask:
    app = Flask("changed", static_folder=str(folder))
    static_files.init_app(app, folder.parent / "data")
    return app


def _url(app: Flask, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_a_changed_file_gets_a_new_url_and_the_old_one_is_gone(tmp_path):
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    (folder / "js" / "vote.js").write_text("var level = 1;\n" * 50)
    before = _app_on(folder)
    old_url = _url(before, "js/vote.js")
    assert before.test_client().get(old_url).status_code == 200

    (folder / "js" / "vote.js").write_text("var level = 2;\n" * 50)
    after = _app_on(folder)
    new_url = _url(after, "js/vote.js")
    assert new_url != old_url and HASHED.search(new_url)
    assert after.test_client().get(new_url).data == b"var level = 2;\n" * 50
    assert after.test_client().get(old_url).status_code == 404


def test_a_server_started_again_and_again_keeps_one_copy_of_the_static_files(tmp_path):
    """Each start used to copy static/ into a new temporary folder that a stopped server never
    removed (hundreds piled up in /tmp): now the copy is named by its content in the data folder,
    built by the first start and reused by the next."""
    data_dir, temporary = tmp_path / "data", tmp_path / "tmp"
    data_dir.mkdir()
    temporary.mkdir()
    for _ in range(2):
        server = start_server(data_dir, env={"TMPDIR": str(temporary)})
        page = requests.get(server.url + "/", timeout=10).text
        style = next(url for url in STATIC_URL.findall(page) if url.endswith(".css"))
        assert requests.get(server.url + style, timeout=10).status_code == 200
        server.stop()
    assert list(temporary.iterdir()) == []
    builds = list((data_dir / static_files.BUILD_FOLDER).iterdir())
    assert len(builds) == 1 and (builds[0] / style.removeprefix("/static/")).is_file()


def test_a_build_of_an_old_version_goes_when_unused_for_a_week_and_the_current_one_stays(tmp_path):
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    (folder / "js" / "vote.js").write_text("var level = 1;\n")
    builds = tmp_path / "data" / static_files.BUILD_FOLDER
    old = builds / "0123456789ab"
    crashed = builds / (static_files.BUILDING + "x")
    recent = builds / "ba9876543210"  # another worker's version, in use
    for made in (old, crashed, recent):
        made.mkdir(parents=True)
    week_ago = time.time() - static_files.STALE_SECONDS - 60
    for stale in (old, crashed):
        os.utime(stale, (week_ago, week_ago))
    static_files._built.clear()
    _app_on(folder)
    assert sorted(p.name for p in builds.iterdir()) == sorted(
        [recent.name, static_files._built_folder(folder, static_files.versioned_names(folder),
                                                 builds).name])


def test_two_workers_building_at_once_both_serve_the_one_complete_build(tmp_path, monkeypatch):
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    (folder / "js" / "vote.js").write_text("var level = 1;\n")
    names = static_files.versioned_names(folder)
    target = tmp_path / "data" / static_files.BUILD_FOLDER / "0123456789ab"
    build = static_files.build

    def another_worker_finishes_first(source, building, names):
        build(source, building, names)
        build(source, target, names)  # the other worker renamed its build into place meanwhile

    monkeypatch.setattr(static_files, "build", another_worker_finishes_first)
    assert static_files._build_once(folder, names, target) == target
    assert [p.name for p in target.parent.iterdir()] == [target.name]
    assert (target / names["js/vote.js"]).read_text() == "var level = 1;\n"


def header(response: dict, name: str) -> str | None:
    """A header of a CDP response, whatever the case the server spelled it in."""
    return next((v for k, v in response["headers"].items() if k.lower() == name), None)


@pytest.mark.browser
def test_a_phone_reloading_the_join_page_fetches_no_static_file_again(browser, live_server):
    session = make_session(live_server.data_dir, live_server.url)
    context = browser.new_context(locale="th-TH", viewport={"width": 360, "height": 640})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    loads: list[dict] = []
    cdp.on("Network.responseReceived",
           lambda event: loads.append({**event["response"], "id": event["requestId"]}))
    cached: list[str] = []
    cdp.on("Network.requestServedFromCache", lambda event: cached.append(event["requestId"]))

    page.goto(session["join"])
    expect(page.locator("#join-form button[type=submit]")).to_be_visible(timeout=WAIT_MS)
    first = [r for r in loads if "/static/" in r["url"]]
    assert first and all(HASHED.search(r["url"]) for r in first)
    assert all(r["status"] == 200 and not r["fromDiskCache"] for r in first)
    # Chromium asks for Brotli from secure origins only (loopback is one here); a phone on the
    # venue's plain-HTTP LAN asks for, and gets, gzip.
    assert {header(r, "content-encoding") for r in first if r["url"].endswith(".js")} in ({"br"}, {"gzip"})

    loads.clear()
    page.reload()
    expect(page.locator("#join-form button[type=submit]")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_load_state("load")
    again = [r for r in loads if "/static/" in r["url"]]
    assert len(again) == len(first)
    fetched = [r["url"] for r in again if r["id"] not in cached and not r["fromDiskCache"]]
    assert not fetched, f"fetched again on reload: {fetched}"
    context.close()
