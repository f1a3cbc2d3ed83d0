"""An export that hangs (a font that never loads, a chart library stuck) never holds the
dashboard: past WORKSHOP_EXPORT_TIMEOUT its process is killed, the organizer reads why, and
the next download renders in a fresh process. The slow export here is the real export child
with its renderer replaced by a sleep, so nothing waits for a real hang; no time is asserted."""
from __future__ import annotations

import dataclasses
import json
import sys

import pytest

from tests.test_dashboard import logged_in
from tests.workshop_data import make_workshop
from workshop.exports import worker
from workshop.services.export_data import read_export_data

# The export child, except that a request for the module "slow" (or every request, with
# ALL) sleeps far past any limit the tests set.
SLOW_CHILD = """
import time, workshop.exports.worker as w
real = w._run_one
w._run_one = lambda request: time.sleep(600) if ALL or request["module"] == "slow" else real(request)
w.main()
"""


def slow_renderer(everything: bool) -> worker.Renderer:
    return worker.Renderer([sys.executable, "-c", f"ALL = {everything}\n{SLOW_CHILD}"])


def test_an_export_past_its_time_limit_is_stopped_and_the_next_one_renders_afresh(store):
    made = make_workshop(store)
    with store.session() as db:
        snapshot = read_export_data(db, made.session_id)
    renderer = slow_renderer(everything=False)
    try:
        hung = renderer._started()
        with pytest.raises(worker.ExportTimedOut, match="longer than 1 s"):
            renderer.render("slow", "anything", None, snapshot, timeout=1)
        assert hung.poll() is not None, "the hung export process was killed"
        archive = renderer.render("archive", "export_archive", None, snapshot, timeout=60)
        assert json.loads(archive)["session"]["id"] == made.session_id
    finally:
        renderer.stop()


def test_the_organizer_reads_that_the_export_was_stopped_and_the_dashboard_still_answers(
        client, store, app, monkeypatch):
    organizer = logged_in(client, store)
    made = make_workshop(store)
    app.config["WORKSHOP"] = dataclasses.replace(app.config["WORKSHOP"], export_timeout=1)
    renderer = slow_renderer(everything=True)
    monkeypatch.setattr(worker, "RENDERER", renderer)
    try:
        answer = organizer.get(f"/organizer/sessions/{made.session_id}/download/pdf",
                               headers={"Accept-Language": "en"})
    finally:
        renderer.stop()
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "The export took too long" in page and "stopped after 1 seconds" in page
    assert "Content-Disposition" not in answer.headers
    assert organizer.get(f"/organizer/sessions/{made.session_id}").status_code == 200
