"""The plan editor with one organizer at it (issue 11): typing into two fields and adding an
action at once is saved plainly, never reported as someone else's edit; criterion codes read
"1.2", not "1 . 2". Debian's chromium through Playwright against the real server."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.test_plan_browser import open_editor, owner_of, saved, write_workshop

pytestmark = pytest.mark.browser

# The width of one character of a code, measured where the page draws it.
CHAR_WIDTH = """(node, at) => {
  const text = node.firstChild, range = document.createRange();
  range.setStart(text, at); range.setEnd(text, at + 1);
  return range.getBoundingClientRect().width;
}"""


def test_one_editor_filling_two_fields_and_adding_an_action_at_once_is_not_told_of_another(browser, module_live_server):
    url = write_workshop(module_live_server).replace("lang=th", "lang=en")
    errors: list[str] = []
    page = open_editor(browser, url, errors)
    item = page.locator('.plan-item[data-code="1.1"]')
    owner_of(page, "1.1").fill("Strategy and Planning Division")
    item.locator('[data-field="indicator"]').fill("Share of plans linked to the strategy")
    item.locator(".action-add input").fill("Appoint a working group")
    item.locator(".action-add button[type=submit]").click()
    saved(page)
    expect(page.locator("#save-state")).to_have_text("Saved")
    page.reload()
    expect(owner_of(page, "1.1")).to_have_value("Strategy and Planning Division", timeout=WAIT_MS)
    expect(item.locator(".action-row input:not([type=checkbox])").last).to_have_value("Appoint a working group")
    assert errors == []


def test_criterion_codes_read_as_one_number_in_the_plan_editor(browser, module_live_server):
    errors: list[str] = []
    page = open_editor(browser, write_workshop(module_live_server), errors)
    code = page.locator('.plan-item[data-code="1.2"] h3 .code')
    expect(code).to_have_text("1.2")
    digit, dot = code.evaluate(CHAR_WIDTH, 0), code.evaluate(CHAR_WIDTH, 1)
    assert dot < 0.7 * digit, (digit, dot)  # a proportional dot, not a monospace cell
