"""An item's own level statements and checklists in a real browser: a 360x640 phone reads
what each level means for item 1.1 on the level buttons, unfolds the checklists, and nothing
is cut off; the projector shows the same statements. Debian's chromium through Playwright,
against the real server process (screenshots in /tmp/workshop-screens)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import SCREENS, WAIT_MS
from tests.helpers import make_session
from workshop import catalog

pytestmark = pytest.mark.browser

SMALL_PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True,
               "device_scale_factor": 2}

# Every element of these kinds that is cut off: past either edge of the screen, wider than its
# box, or with more text than a box that hides its overflow can show. (Thai marks above and
# below the line ink a few pixels past a visible box: that is not cut off.)
CLIPPED = """selector => Array.from(document.querySelectorAll(selector))
  .filter(el => el.offsetParent !== null)
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5
             || el.getBoundingClientRect().left < -0.5
             || el.scrollWidth > el.clientWidth + 1
             || (getComputedStyle(el).overflowY !== "visible" && el.scrollHeight > el.clientHeight + 1))
  .map(el => el.className + ": " + el.textContent.slice(0, 40))"""


def shot(page, name: str, full: bool = True) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=full)


def assert_nothing_clipped(page, selector: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.evaluate(CLIPPED, selector) == []


def projector_and_control_page(browser, session):
    """The projector (Thai, 1920x1080) and the control page (English) of a session on 1.1."""
    projector = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="th-TH")
    projector.goto(session["projector"])
    facilitator = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="en-US")
    facilitator.goto(session["facilitator"])
    expect(facilitator.locator(".crit-code").first).to_have_text("1.1", timeout=WAIT_MS)
    return projector, facilitator


def test_a_small_phone_shows_the_items_own_statements_and_checklists_uncut(browser, live_server):
    item = catalog.get_framework("pmqa-4.0").criterion("1.1")
    session = make_session(live_server.data_dir, live_server.url, anonymous=True)
    projector, facilitator = projector_and_control_page(browser, session)
    phone = browser.new_context(locale="th-TH", **SMALL_PHONE).new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(session["join"])
    phone.locator("#join-form button[type=submit]").tap()
    expect(phone.locator("#live-view")).to_be_visible(timeout=WAIT_MS)
    facilitator.keyboard.press("o")
    expect(phone.locator("#status")).to_have_attribute("data-phase", "voting", timeout=WAIT_MS)

    for value in (1, 2, 3):  # each button in the item's own words, not the scale's
        expect(phone.locator(f'.level[data-level="{value}"] .level-desc')).to_have_text(
            item.levels[value].th)
    checklists = phone.locator(".crit-checklists")
    expect(checklists.locator("summary")).to_have_text("แต่ละระดับหมายถึงอะไรสำหรับประเด็นนี้")
    expect(checklists.locator(".checklist li").first).to_be_hidden()  # folded until asked
    shot(phone, "phone-item-1-levels")
    assert_nothing_clipped(phone, ".level, .level-label, .level-desc, .crit-title, summary")

    checklists.locator("summary").tap()
    lines = checklists.locator(".checklist li")
    expect(lines).to_have_count(sum(len(v) for v in item.checklists.values()))
    expect(lines.first).to_have_text(item.checklist(1)[0].th)
    expect(checklists.locator(".checklist-heading").nth(2)).to_contain_text("3 ·")
    assert_nothing_clipped(phone, ".checklist li, .checklist-heading, .level-desc")
    shot(phone, "phone-item-2-checklists")

    phone.locator('.level[data-level="1"]').tap()  # the vote re-renders the page ...
    expect(phone.locator('.level[data-level="1"]')).to_have_class(re.compile(r"\bchosen\b"),
                                                                   timeout=WAIT_MS)
    expect(lines.first).to_be_visible()  # ... and the unfolded checklists stay open
    expect(checklists).to_have_attribute("open", "")

    projected = projector.locator(".proj-level .level-desc")
    expect(projected.nth(2)).to_have_text(item.levels[2].th, timeout=WAIT_MS)
    assert_nothing_clipped(projector, ".proj-level, .level-desc, .crit-title")
    assert projector.evaluate("document.documentElement.scrollHeight") <= 1080
    shot(projector, "projector-item-statements", full=False)
    assert errors == []
