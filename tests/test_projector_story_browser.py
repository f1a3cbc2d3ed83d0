"""The projector tells the story of the day (issue 11, Deliver 3): the criterion's timer the
facilitator starts (the same on every screen and after a reload), the decision of the meeting
as it is taken (never while a round is open), the by-category overview between items, and the
end of the agenda. Debian's chromium, driven by Playwright, against the real server process."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import SCREENS, WAIT_MS
from tests.helpers import make_session, move_timer_back
from tests.test_facilitator_browser import go_to, open_facilitator, step

pytestmark = pytest.mark.browser

CLOCK = re.compile(r"^\d+:\d\d$")


def open_projector(browser, url: str, errors: list):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="en-US")
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + ("&" if "?" in url else "?") + "lang=en")
    expect(page.locator("#join-code")).to_be_visible(timeout=WAIT_MS)
    return page


def seconds(page) -> int:
    minutes, secs = page.locator("#timer .timer-time").inner_text().split(":")
    return int(minutes) * 60 + int(secs)


def test_the_timer_runs_on_both_screens_from_the_servers_start_and_survives_a_reload(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    errors: list[str] = []
    projector = open_projector(browser, session["projector"], errors)
    facilitator, fac_errors = open_facilitator(browser, session["facilitator"], "en-US")
    expect(projector.locator("#timer")).to_be_hidden()
    facilitator.keyboard.press("t")
    for page in (facilitator, projector):
        expect(page.locator("#timer")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#timer .timer-time")).to_have_text(CLOCK)
    expect(facilitator.locator("#timer-label")).to_have_text("Stop the timer")
    facilitator.wait_for_function("() => document.querySelector('#timer .timer-time').textContent !== '0:00'",
                                  timeout=WAIT_MS)  # the page counts on by itself
    move_timer_back(module_live_server.data_dir, session["id"], 600)  # as if started 10 minutes ago
    projector.reload()
    expect(projector.locator("#timer .timer-time")).to_have_text(CLOCK, timeout=WAIT_MS)
    assert seconds(projector) >= 600  # counted from the server's start, not from the reload
    facilitator.reload()
    expect(facilitator.locator("#timer .timer-time")).to_have_text(CLOCK, timeout=WAIT_MS)
    assert seconds(facilitator) >= 600
    facilitator.keyboard.press("t")
    for page in (facilitator, projector):
        expect(page.locator("#timer")).to_be_hidden(timeout=WAIT_MS)
    assert errors == [] and fac_errors == []


def test_the_decision_overview_and_end_of_the_agenda_reach_the_projector(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    errors: list[str] = []
    projector = open_projector(browser, session["projector"], errors)
    facilitator, fac_errors = open_facilitator(browser, session["facilitator"], "en-US")
    decision = projector.locator("#decision-box")

    step(facilitator, "o", "open")
    step(facilitator, "c", "closed")
    step(facilitator, "r", "revealed")
    expect(projector.locator("#results")).to_be_visible(timeout=WAIT_MS)
    expect(decision).to_be_hidden()
    facilitator.keyboard.press("d")
    expect(decision).to_be_visible(timeout=WAIT_MS)
    expect(decision).to_contain_text("Agreed level 0")
    expect(decision).to_contain_text("Target level 1")
    SCREENS.mkdir(parents=True, exist_ok=True)
    projector.screenshot(path=str(SCREENS / "projector-7-decision.png"))

    step(facilitator, "v", "open")  # a re-vote: the room votes again, blind
    expect(decision).to_be_hidden(timeout=WAIT_MS)
    step(facilitator, "c", "closed")
    expect(decision).to_be_visible(timeout=WAIT_MS)

    # between items: the whole framework by category, the decided one coloured, the next outlined
    facilitator.keyboard.press("n")
    expect(projector.locator("#lobby")).to_be_visible(timeout=WAIT_MS)
    first, second = session["agenda"][:2]
    expect(projector.locator(f'#overview [data-criterion="{first}"]')).to_have_class(re.compile(r"\bshade-0\b"))
    expect(projector.locator(f'#overview [data-criterion="{first}"] .heat-level')).to_have_text("L0")
    expect(projector.locator(f'#overview [data-criterion="{second}"]')).to_have_class(re.compile(r"\bundecided\b.*\bcurrent\b"))
    expect(projector.locator("#overview .heat-cell")).to_have_count(len(session["agenda"]))
    projector.screenshot(path=str(SCREENS / "projector-8-overview.png"))

    last = len(session["agenda"]) - 1
    go_to(facilitator, last)
    expect(projector.locator("#end")).to_be_hidden()
    facilitator.keyboard.press("d")
    expect(projector.locator("#end")).to_be_visible(timeout=WAIT_MS)
    expect(projector.locator("#round")).to_be_hidden()
    expect(projector.locator("#end-count")).to_have_text(f"2 of {last + 1} criteria decided")
    expect(projector.locator("#end-last")).to_contain_text(session["agenda"][last])
    expect(projector.locator("#end-overview .heat-cell:not(.undecided)")).to_have_count(2)
    projector.screenshot(path=str(SCREENS / "projector-9-end.png"))
    projector.reload()
    expect(projector.locator("#end")).to_be_visible(timeout=WAIT_MS)
    assert errors == [] and fac_errors == []
