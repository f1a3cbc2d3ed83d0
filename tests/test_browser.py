"""The live pages in a real browser: Debian's chromium, driven by Playwright, against the real
server process. Two phones join through the join link and vote by tapping; the facilitator's
page opens, closes and reveals the round; the projector shows the count, then the distribution.

Screenshots of every screen go to /tmp/workshop-screens (or $WORKSHOP_SCREENSHOTS) for a look.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import SCREENS, WAIT_MS
from tests.helpers import make_session

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=name.startswith("phone"))


def watch_console(page, errors: list) -> None:
    """Collect script errors and CSP violations: the pages must have none."""
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Failed to load resource" not in message.text else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)


def open_phone(browser, url: str, locale: str, errors: list):
    context = browser.new_context(locale=locale, **PHONE)
    page = context.new_page()
    watch_console(page, errors)
    page.goto(url)
    return page


def join(phone) -> None:
    expect(phone.locator("#privacy")).to_be_visible(timeout=WAIT_MS)
    phone.locator("#join-form button[type=submit]").tap()
    expect(phone.locator("#live-view")).to_be_visible(timeout=WAIT_MS)


def tap_level(phone, level: str) -> None:
    phone.locator(f'.level[data-level="{level}"]').tap()
    expect(phone.locator(f'.level[data-level="{level}"]')).to_have_class(re.compile(r"\bchosen\b"), timeout=WAIT_MS)


def test_two_phones_vote_by_tapping_and_the_projector_shows_the_count_then_the_distribution(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url, anonymous=True)
    errors: list[str] = []

    projector = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="th-TH")
    watch_console(projector, errors)
    projector.goto(session["projector"])
    expect(projector.locator("#join-code")).to_have_text(session["join_code"], timeout=WAIT_MS)
    expect(projector.locator("#join-url")).to_contain_text(f"/j/{session['join_code']}", timeout=WAIT_MS)
    expect(projector.locator("img.qr-big")).to_have_js_property("complete", True, timeout=WAIT_MS)
    assert projector.locator("img.qr-big").evaluate("img => img.naturalWidth") > 0

    facilitator = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="en-US")
    watch_console(facilitator, errors)
    facilitator.goto(session["facilitator"])
    expect(facilitator.locator(".crit-code").first).to_have_text(session["agenda"][0], timeout=WAIT_MS)

    thai_phone = open_phone(browser, session["join"], "th-TH", errors)
    english_phone = open_phone(browser, session["join"], "en-US", errors)
    shot(thai_phone, "phone-th-1-join")
    join(thai_phone)
    join(english_phone)
    expect(projector.locator("#present")).to_have_text("2", timeout=WAIT_MS)
    expect(thai_phone.locator("#status")).to_have_attribute("data-phase", "waiting")
    shot(projector, "projector-1-lobby")

    facilitator.keyboard.press("o")
    expect(thai_phone.locator("#status")).to_have_attribute("data-phase", "voting", timeout=WAIT_MS)
    expect(projector.locator("#round")).to_be_visible(timeout=WAIT_MS)
    expect(projector.locator("#voted")).to_have_text("0", timeout=WAIT_MS)
    shot(english_phone, "phone-en-2-voting")

    tap_level(thai_phone, "1")
    tap_level(english_phone, "0")
    tap_level(english_phone, "2")  # a change of mind while the round is open
    expect(english_phone.locator(".level.chosen")).to_have_count(1)
    expect(projector.locator("#voted")).to_have_text("2", timeout=WAIT_MS)
    expect(projector.locator("#voted-present")).to_have_text("2")
    expect(facilitator.locator("#voted")).to_have_text(re.compile(r"\b2\b.*\b2\b"), timeout=WAIT_MS)
    # Blind voting: before the reveal the projector shows no distribution.
    expect(projector.locator("#results")).to_be_hidden()
    shot(thai_phone, "phone-th-3-voted")
    shot(projector, "projector-2-voting")

    thai_phone.reload()  # a phone that reloads is the same participant with its vote
    expect(thai_phone.locator('.level[data-level="1"]')).to_have_class(re.compile(r"\bchosen\b"), timeout=WAIT_MS)

    facilitator.locator('[data-action="close"]').click()
    expect(english_phone.locator("#status")).to_have_attribute("data-phase", "closed", timeout=WAIT_MS)
    facilitator.locator('[data-action="reveal"]').click()

    bars = projector.locator("#results .bar")
    expect(projector.locator("#results")).to_be_visible(timeout=WAIT_MS)
    expect(projector.locator('#results .bar[data-level="1"]')).to_have_attribute("data-count", "1", timeout=WAIT_MS)
    expect(projector.locator('#results .bar[data-level="2"]')).to_have_attribute("data-count", "1")
    expect(projector.locator('#results .bar[data-level="0"]')).to_have_attribute("data-count", "0")
    expect(bars).to_have_count(5)  # PMQA's four levels and "not sure"
    expect(projector.locator("#results .verdict")).to_be_visible()
    # Each figure under its own name: votes 1 and 2 on the 0-3 scale give an agreement index of
    # 1 + log2(1 - 0.5/3) = 0.74 (an index, not a percentage); the verdict says its rule and share.
    figure = projector.locator("#results .figures div", has_text="ดัชนีความสอดคล้องของความเห็น")
    expect(figure.locator("dd")).to_have_text("0.74")
    expect(projector.locator("#results .verdict")).to_have_text("ได้ฉันทามติแล้ว")
    expect(projector.locator("#results .verdict-basis")).to_have_text(
        "คะแนนเสียง 100% อยู่ในระดับ 1–2 (เกณฑ์ไม่น้อยกว่า 75%) · IQR 1 (เกณฑ์ไม่เกิน 1)")
    basis = projector.locator("#results .verdict-basis").bounding_box()
    assert basis["y"] + basis["height"] <= 1080  # read from the back of the room, not cut off
    expect(facilitator.locator("#results .figures div", has_text="Agreement index").locator("dd")).to_have_text("0.74")
    expect(facilitator.locator("#results .verdict-basis")).to_contain_text("100% of votes on levels 1–2 (rule: at least 75%)")
    expect(english_phone.locator("#status")).to_have_attribute("data-phase", "revealed", timeout=WAIT_MS)
    expect(english_phone.locator('#results .bar[data-level="2"]')).to_have_class(re.compile(r"\bbar-mine\b"))
    shot(projector, "projector-3-revealed")
    shot(thai_phone, "phone-th-4-revealed")
    shot(facilitator, "facilitator-1-revealed")

    facilitator.locator("#decide-form button[type=submit]").click()
    expect(facilitator.locator(".agenda .decided")).to_have_count(1, timeout=WAIT_MS)
    facilitator.keyboard.press("n")
    expect(facilitator.locator("#criterion .crit-code")).to_have_text(session["agenda"][1], timeout=WAIT_MS)
    expect(projector.locator("#lobby")).to_be_visible(timeout=WAIT_MS)
    expect(projector.locator(".heat-cell:not(.undecided)")).to_have_count(1, timeout=WAIT_MS)
    shot(projector, "projector-4-overview")
    shot(facilitator, "facilitator-2-next")

    assert errors == []


def test_ideas_an_outliers_reason_a_re_vote_and_the_language_switch_in_the_browser(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    errors: list[str] = []
    projector = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="th-TH")
    watch_console(projector, errors)
    projector.goto(session["projector"])
    facilitator = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="en-US")
    watch_console(facilitator, errors)
    facilitator.goto(session["facilitator"])
    phones = [open_phone(browser, session["join"], "th-TH", errors) for _ in range(3)]
    for phone in phones:
        join(phone)
    expect(facilitator.locator("#present")).to_have_text("3", timeout=WAIT_MS)

    facilitator.keyboard.press("o")
    for phone, level in zip(phones, ("1", "1", "3")):
        expect(phone.locator("#status")).to_have_attribute("data-phase", "voting", timeout=WAIT_MS)
        tap_level(phone, level)
    expect(projector.locator("#voted")).to_have_text("3", timeout=WAIT_MS)
    facilitator.keyboard.press("c")
    facilitator.keyboard.press("r")
    expect(projector.locator("#results")).to_be_visible(timeout=WAIT_MS)

    # The explain step: only the phone outside the central band is invited.
    facilitator.keyboard.press("e")
    outlier = phones[2]
    expect(outlier.locator("#explain-box")).to_be_visible(timeout=WAIT_MS)
    expect(phones[0].locator("#explain-box")).to_be_hidden()
    outlier.locator("#reason").fill("เรามีนวัตกรรมที่หน่วยงานอื่นนำไปใช้แล้ว")
    outlier.locator("#explain-box button[type=submit]").tap()
    expect(projector.locator("#reasons li")).to_have_text(re.compile("นวัตกรรม"), timeout=WAIT_MS)
    expect(facilitator.locator("#reasons")).to_contain_text("นวัตกรรม", timeout=WAIT_MS)
    shot(projector, "projector-5-reasons")

    # A re-vote shows the previous round beside the new one once revealed.
    facilitator.keyboard.press("v")
    for phone in phones:
        expect(phone.locator("#status")).to_have_attribute("data-phase", "voting", timeout=WAIT_MS)
        tap_level(phone, "2")
    expect(projector.locator("#voted")).to_have_text("3", timeout=WAIT_MS)
    facilitator.keyboard.press("c")
    facilitator.keyboard.press("r")
    expect(projector.locator("#results .proj-result")).to_have_count(2, timeout=WAIT_MS)
    expect(projector.locator('#results .proj-result').last.locator('.bar[data-level="2"]')).to_have_attribute("data-count", "3")
    shot(projector, "projector-6-revote")

    # Ideas: one phone submits, another upvotes; the projector lists it.
    facilitator.keyboard.press("i")
    expect(phones[0].locator("#ideas-box")).to_be_visible(timeout=WAIT_MS)
    phones[0].locator("#idea-text").fill("จัดทำแผนสื่อสารวิสัยทัศน์ทุกไตรมาส")
    phones[0].locator("#idea-form button[type=submit]").tap()
    expect(phones[0].locator("#ideas-list .idea.mine")).to_have_count(1, timeout=WAIT_MS)
    upvote = phones[1].locator("#ideas-list .upvote")
    expect(upvote).to_have_count(1, timeout=WAIT_MS)
    upvote.tap()
    expect(upvote).to_have_class(re.compile(r"\bon\b"), timeout=WAIT_MS)
    expect(projector.locator("#ideas li")).to_contain_text("▲ 1", timeout=WAIT_MS)
    expect(facilitator.locator("#ideas .idea")).to_have_count(1, timeout=WAIT_MS)
    shot(phones[1], "phone-th-5-ideas")
    shot(projector, "projector-7-ideas")
    shot(facilitator, "facilitator-3-ideas")

    # The language switch reloads the page in English: the same participant, English texts.
    phone = phones[1]
    thai_title = phone.locator("#criterion .crit-title").text_content()
    phone.locator('.lang-switch a[hreflang="en"]').tap()
    expect(phone.locator("html")).to_have_attribute("lang", "en", timeout=WAIT_MS)
    expect(phone.locator("#live-view")).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator("#criterion .crit-title")).not_to_have_text(thai_title, timeout=WAIT_MS)
    expect(phone.locator("#criterion .crit-title")).to_have_text(re.compile("[A-Za-z]"))
    expect(facilitator.locator("#present")).to_have_text("3", timeout=WAIT_MS)
    shot(phone, "phone-en-6-after-switch")
    assert errors == []
