"""A checklist round in a real browser: a 360x640 phone answers every line of item 1.1, grouped
by level on one screen, with touch targets of at least 44 px and nothing cut off; it sees no
result until the reveal; then the phone and the projector show the room's lines. Debian's
chromium through Playwright, against the real server process (screenshots in
/tmp/workshop-screens)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.helpers import make_session
from tests.test_item_statements_browser import (SMALL_PHONE, assert_nothing_clipped,
                                                projector_and_control_page, shot)
from workshop import catalog

pytestmark = pytest.mark.browser

TOO_SMALL = """() => Array.from(document.querySelectorAll('.cl-answer'))
  .map(b => b.getBoundingClientRect())
  .filter(r => r.width < 44 || r.height < 44)
  .map(r => r.width + 'x' + r.height)"""


def test_a_small_phone_answers_a_checklist_round_line_by_line(browser, live_server):
    item = catalog.get_framework("pmqa-4.0").criterion("1.1")
    lines = [line.id for value in sorted(item.checklists) for line in item.checklists[value]]
    session = make_session(live_server.data_dir, live_server.url, anonymous=True)
    projector, facilitator = projector_and_control_page(browser, session)
    context = browser.new_context(locale="th-TH", **SMALL_PHONE)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(session["join"])
    phone.locator("#join-form button[type=submit]").tap()
    expect(phone.locator("#live-view")).to_be_visible(timeout=WAIT_MS)
    facilitator.keyboard.press("k")  # open a checklist round
    form = phone.locator("#checklist-box")
    expect(form).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator("#vote-box")).to_be_hidden()
    expect(form.locator(".cl-line")).to_have_count(len(lines))
    expect(form.locator(".cl-level-title")).to_have_count(3)
    expect(form.locator(".cl-line").first.locator(".cl-text")).to_contain_text(item.checklist(1)[0].th)
    assert phone.evaluate(TOO_SMALL) == []
    assert_nothing_clipped(phone, ".cl-line, .cl-text, .cl-answer, .cl-level-title, .cl-progress")
    shot(phone, "phone-checklist-1-form")

    for line_id in lines:
        answer = "not_met" if line_id == "a2" else "met"
        button = form.locator(f'.cl-line[data-line="{line_id}"] .cl-answer[data-answer="{answer}"]')
        button.tap()
        expect(button).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    expect(phone.locator("#status")).to_have_attribute("data-phase", "voted", timeout=WAIT_MS)
    expect(phone.locator("#cl-progress")).to_contain_text(f"{len(lines)}")
    expect(phone.locator("#results-box")).to_be_hidden()  # blind until the reveal
    expect(projector.locator("#results")).to_be_hidden()
    shot(phone, "phone-checklist-2-answered")

    phone.reload()  # a phone that reloads keeps its answers
    expect(phone.locator('.cl-line[data-line="a2"] .cl-answer[data-answer="not_met"]')).to_have_attribute(
        "aria-pressed", "true", timeout=WAIT_MS)

    facilitator.keyboard.press("c")
    expect(facilitator.locator("#round-state")).to_have_attribute("data-state", "closed", timeout=WAIT_MS)
    facilitator.keyboard.press("r")
    shown = phone.locator("#results .cl-results")
    expect(shown).to_be_visible(timeout=WAIT_MS)
    expect(shown.locator('.cl-line[data-verdict="met"]')).to_have_count(len(lines) - 1)
    expect(shown.locator('.cl-line[data-line="a2"]')).to_have_attribute("data-verdict", "not_met")
    expect(shown.locator(".cl-proposed strong")).to_have_text(re.compile(r"^1 · "))
    assert_nothing_clipped(phone, ".cl-results .cl-line, .cl-pill, .cl-counts")
    shot(phone, "phone-checklist-3-results")

    projected = projector.locator(".proj-checklist .cl-line")
    expect(projected).to_have_count(len(lines), timeout=WAIT_MS)
    expect(projector.locator('.proj-checklist .cl-line[data-line="a2"]')).to_have_attribute(
        "data-verdict", "not_met")
    assert projector.evaluate("document.documentElement.scrollHeight") <= 1080
    shot(projector, "projector-checklist", full=False)
    expect(facilitator.locator("#agreed")).to_have_value("1")  # decide with the proposed level
    facilitator.keyboard.press("d")  # target defaults to one level up: 2
    expect(facilitator.locator("#decide-status")).not_to_be_empty(timeout=WAIT_MS)

    facilitator.goto(session["facilitator"] + "/plan?lang=th")  # the plan draft
    ofis = facilitator.locator('.plan-item[data-code="1.1"] .proposed-ofis li')
    expect(ofis).to_have_count(1, timeout=WAIT_MS)
    expect(ofis.first).to_contain_text(item.checklist_line("a2").th)
    assert errors == []
