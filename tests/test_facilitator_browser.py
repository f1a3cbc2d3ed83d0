"""The facilitator's control page as a facilitator uses it on a 1366x768 laptop in front of a
room (issue 11): what a step needs is in view, every label is whole, the keyboard stays where
the facilitator works, each criterion starts clean and the end of the agenda is marked.
Debian's chromium, driven by Playwright, against the real server process."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.helpers import make_session

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}

# The WCAG contrast of an element's text on what is behind it (its own background composited
# over its ancestors' backgrounds).
CONTRAST = """node => {
  const rgba = text => { const m = text.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  let layers = [], at = node;
  while (at) { const bg = rgba(getComputedStyle(at).backgroundColor); if (bg[3] > 0) layers.push(bg); if (bg[3] === 1) break; at = at.parentElement; }
  let back = [255, 255, 255, 1];
  layers.reverse().forEach(layer => { back = over(layer, back); });
  const fore = over(rgba(getComputedStyle(node).color), back);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [lum(fore), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""

# How wide a drop-down would be if nothing constrained it: its longest option whole.
NATURAL_WIDTH = """select => {
  const copy = select.cloneNode(true);
  copy.style.cssText = "width:auto;max-width:none;min-width:0;position:absolute;visibility:hidden";
  document.body.appendChild(copy);
  const width = copy.getBoundingClientRect().width;
  copy.remove();
  return width;
}"""


def open_facilitator(browser, url: str, locale: str = "th-TH"):
    page = browser.new_page(viewport=LAPTOP, locale=locale)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    expect(page.locator("#agenda li")).not_to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#criterion .crit-code")).to_be_visible(timeout=WAIT_MS)
    return page, errors


def step(page, key: str, state: str) -> None:
    page.keyboard.press(key)
    expect(page.locator("#round-state")).to_have_attribute("data-state", state, timeout=WAIT_MS)


def go_to(page, index: int) -> None:
    page.locator("#agenda .agenda-item").nth(index).click()
    expect(page.locator("#agenda li").nth(index)).to_have_class("current", timeout=WAIT_MS)


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"]


def test_at_1366x768_the_decision_reasons_and_ideas_are_in_view_without_scrolling(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    page, errors = open_facilitator(browser, session["facilitator"])
    for index in (0, 5, 12):
        go_to(page, index)
        page.evaluate("window.scrollTo(0, 0)")
        if index == 5:  # a revealed round: its bars take the most room
            step(page, "o", "open")
            step(page, "c", "closed")
            step(page, "r", "revealed")
        for what in ("#decide-form button[type=submit]", "#agreed", "#target", ".fac-reasons h2",
                     ".fac-ideas h2", "#add-idea-text"):
            assert in_view(page, what), (index, what, page.locator(what).bounding_box())
    assert errors == []


def test_the_level_drop_downs_show_each_level_label_whole(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    for locale in ("th-TH", "en-US"):
        page, errors = open_facilitator(browser, session["facilitator"], locale)
        for select in ("#agreed", "#target"):
            node = page.locator(select)
            natural = node.evaluate(NATURAL_WIDTH)
            shown = node.bounding_box()["width"]
            assert shown >= natural - 1, (locale, select, shown, natural)
        page.close()


def test_every_key_badge_reads_at_4_5_to_1_or_more(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    page, errors = open_facilitator(browser, session["facilitator"])
    badges = page.locator("button:not(:disabled) kbd, .shortcuts kbd")
    assert badges.count() > 10
    for i in range(badges.count()):
        badge = badges.nth(i)
        ratio = badge.evaluate(CONTRAST)
        assert ratio >= 4.5, (badge.evaluate("k => k.parentElement.outerHTML"), ratio)


def focused_action(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.action || null")


def test_keyboard_focus_moves_to_the_next_step_instead_of_dropping_to_the_page(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    page, errors = open_facilitator(browser, session["facilitator"], "en-US")
    page.locator('[data-action="open"]').focus()
    for expected_state, next_step in (("open", "close"), ("closed", "reveal"), ("revealed", "explain")):
        page.keyboard.press("Enter")
        expect(page.locator("#round-state")).to_have_attribute("data-state", expected_state, timeout=WAIT_MS)
        page.wait_for_function(f"() => document.activeElement.dataset.action === '{next_step}'", timeout=WAIT_MS)
    # a decision saved from its button keeps focus on it
    page.locator("#decide-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#decide-status")).not_to_be_empty(timeout=WAIT_MS)
    page.wait_for_function("() => document.activeElement.matches('#decide-form button[type=submit]')", timeout=WAIT_MS)
    # choosing a criterion in the agenda keeps focus on it
    page.locator("#agenda .agenda-item").nth(3).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#agenda li").nth(3)).to_have_class("current", timeout=WAIT_MS)
    page.wait_for_function("() => document.activeElement.closest('#agenda li.current') !== null", timeout=WAIT_MS)
    assert errors == []


def test_moving_on_does_not_carry_the_decision_saved_status_to_the_next_criterion(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    page, errors = open_facilitator(browser, session["facilitator"], "en-US")
    page.keyboard.press("d")
    expect(page.locator("#decide-status")).to_have_text("Decision saved.", timeout=WAIT_MS)
    page.keyboard.press("n")
    expect(page.locator("#agenda li").nth(1)).to_have_class("current", timeout=WAIT_MS)
    expect(page.locator("#decide-status")).to_be_empty()
    page.keyboard.press("p")
    expect(page.locator("#agenda li").nth(0)).to_have_class("current decided", timeout=WAIT_MS)
    expect(page.locator("#decide-status")).to_be_empty()


def test_after_the_reveal_the_results_panel_says_the_room_sees_them(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    page, errors = open_facilitator(browser, session["facilitator"], "en-US")
    heading = page.locator(".fac-results h2")
    expect(heading).to_have_text("Votes (only you see them before the reveal)")
    step(page, "o", "open")
    step(page, "c", "closed")
    expect(heading).to_contain_text("only you")
    step(page, "r", "revealed")
    expect(heading).not_to_contain_text("only you")
    expect(heading).to_contain_text("shown to the room")


def test_the_last_criterion_and_the_end_of_the_agenda_are_marked(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    page, errors = open_facilitator(browser, session["facilitator"], "en-US")
    end = page.locator("#agenda-end")
    expect(end).to_be_hidden()
    last = len(session["agenda"]) - 1
    go_to(page, last)
    expect(end).to_be_visible()
    expect(end).to_contain_text("Last criterion of the agenda")
    expect(page.locator('[data-action="next"]')).to_be_disabled()
    page.keyboard.press("d")
    expect(end).to_contain_text("End of the agenda", timeout=WAIT_MS)
    expect(end).to_contain_text(f"1 of {last + 1} criteria decided")
    assert errors == []


def test_a_vote_is_recorded_for_someone_without_a_phone(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    page, errors = open_facilitator(browser, session["facilitator"], "en-US")
    page.locator("#proxy-name").fill("Khun Somsri")
    page.locator("#proxy-form button[type=submit]").click()
    proxy = page.locator("#proxies li")
    expect(proxy).to_contain_text("Khun Somsri", timeout=WAIT_MS)
    expect(proxy.locator("button")).to_have_count(0)  # no round open: nothing to vote
    step(page, "o", "open")
    proxy.get_by_role("button", name="2", exact=True).click()
    expect(proxy).to_contain_text("Recorded: 2", timeout=WAIT_MS)
    expect(proxy.get_by_role("button", name="2", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#voted")).to_contain_text("1 of", timeout=WAIT_MS)
    assert errors == []
