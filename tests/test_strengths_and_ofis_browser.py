"""Strengths and OFIs in a real browser: on a 360x640 phone a participant adds a strength and
an OFI, the projector lists them under their kind, and the facilitator keeps the OFI. Debian's
chromium through Playwright, against the real server process."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import WAIT_MS, joined_small_phone
from tests.helpers import make_session
from tests.test_item_statements_browser import assert_nothing_clipped, shot

pytestmark = pytest.mark.browser


def _add(phone, kind: str, text: str) -> None:
    phone.locator(f'input[name=idea-kind][value="{kind}"]').tap()
    phone.locator("#idea-text").fill(text)
    phone.locator("#idea-form button[type=submit]").tap()
    expect(phone.locator("#ideas-list .idea-text", has_text=text)).to_be_visible(timeout=WAIT_MS)


def test_a_phone_adds_a_strength_and_an_ofi_the_projector_lists_and_the_facilitator_keeps(
        browser, live_server):
    session = make_session(live_server.data_dir, live_server.url, anonymous=True)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="th-TH")
    projector.goto(session["projector"])
    facilitator = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="th-TH")
    facilitator.goto(session["facilitator"])
    expect(facilitator.locator(".crit-code").first).to_have_text("1.1", timeout=WAIT_MS)

    phone, errors = joined_small_phone(browser, session["join"])
    facilitator.keyboard.press("o")  # the projector leaves its lobby for the criterion
    expect(phone.locator("#status")).to_have_attribute("data-phase", "voting", timeout=WAIT_MS)
    facilitator.keyboard.press("i")
    expect(phone.locator("#ideas-box")).to_be_visible(timeout=WAIT_MS)

    _add(phone, "strength", "ผู้บริหารสื่อสารทิศทางองค์การสม่ำเสมอ")
    _add(phone, "ofi", "ยังไม่มีการทบทวนผลการดำเนินงานรายไตรมาส")
    expect(phone.locator("#ideas-list .kind-strength .idea-kind")).to_have_text("จุดแข็ง")
    expect(phone.locator("#ideas-list .kind-ofi .idea-kind")).to_have_text("โอกาสในการปรับปรุง (OFI)")
    assert_nothing_clipped(phone, ".idea-kinds label, .idea-kind, .idea-text, #idea-form button")
    shot(phone, "phone-strength-and-ofi")

    on_screen = projector.locator("#ideas .kind-ofi .idea-text")
    expect(on_screen).to_have_text("ยังไม่มีการทบทวนผลการดำเนินงานรายไตรมาส", timeout=WAIT_MS)
    expect(projector.locator("#ideas .kind-strength .idea-kind")).to_have_text("จุดแข็ง")

    ofi = facilitator.locator("#ideas .kind-ofi")
    expect(ofi).to_be_visible(timeout=WAIT_MS)
    ofi.get_by_role("button", name="คงไว้").click()
    expect(ofi).to_have_class(re.compile(r"\bkept\b"), timeout=WAIT_MS)
    expect(projector.locator("#ideas li.kind-ofi")).to_have_class(re.compile(r"\bkept\b"), timeout=WAIT_MS)
    assert errors == []
