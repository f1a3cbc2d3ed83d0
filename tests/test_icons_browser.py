"""Icons drawn by the app, never emoji: a machine without an emoji font (a government laptop,
Debian's chromium here) shows an emoji as a box with its hex code. The pages' text, their
::before/::after content included, holds no emoji, and the secret link's lock is an inline SVG."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.group_data import set_organizer_password
from tests.helpers import make_session

pytestmark = pytest.mark.browser
PASSWORD = "a long organizer password"
# Emoji by default (Unicode's Emoji_Presentation), and the emoji variation selector.
EMOJI = re.compile("[\U0001F000-\U0001FAFF\uFE0F\u231A\u231B\u23E9-\u23F3\u23F8-\u23FA\u25FD\u25FE\u2614\u2615"
                   "\u2648-\u2653\u267F\u2693\u26A1\u26AA\u26AB\u26BD\u26BE\u26C4\u26C5\u26CE\u26D4\u26EA\u26F2"
                   "\u26F3\u26F5\u26FA\u26FD\u2705\u270A\u270B\u2728\u274C\u274E\u2753-\u2755\u2757\u2795-\u2797"
                   "\u27B0\u27BF\u2B1B\u2B1C\u2B50\u2B55]")

DRAWN_TEXT = """() => {
  const parts = [document.body.innerText];
  for (const node of document.querySelectorAll("body *"))
    for (const pseudo of ["::before", "::after"]) {
      const content = getComputedStyle(node, pseudo).content;
      if (content && content !== "none" && content !== "normal") parts.push(content);
    }
  return parts.join("\\n");
}"""


def emoji_on(page) -> list[str]:
    return EMOJI.findall(page.evaluate(DRAWN_TEXT))


def test_the_secret_link_lock_and_every_live_screen_draw_no_emoji(browser, live_server):
    set_organizer_password(live_server.data_dir, PASSWORD)
    session = make_session(live_server.data_dir, live_server.url)
    organizer = browser.new_page(viewport={"width": 1366, "height": 768}, locale="th-TH")
    organizer.goto(f"{live_server.url}/organizer/login?lang=th")
    organizer.fill("input[name=password]", PASSWORD)
    organizer.locator("form button[type=submit]").last.click()
    organizer.goto(f"{live_server.url}/organizer/sessions/{session['id']}")
    expect(organizer.locator(".link-row.secret label")).to_be_visible(timeout=WAIT_MS)
    assert emoji_on(organizer) == []
    lock = organizer.locator(".link-row.secret label svg.icon-lock")
    expect(lock).to_be_visible()
    assert lock.bounding_box()["width"] > 0

    for url, ready in ((session["join"], "#join-form"), (session["projector"], "#lobby"),
                       (session["facilitator"], "#criterion .crit-code")):
        page = browser.new_page(locale="th-TH")
        page.goto(url)
        expect(page.locator(ready)).to_be_visible(timeout=WAIT_MS)
        assert emoji_on(page) == [], url
        page.close()
