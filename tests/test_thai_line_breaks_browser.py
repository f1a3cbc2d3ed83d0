"""Thai words stay whole on a line (issue 11): on the Thai setup page a phone-wide screen broke
"แดชบอร์ด" into "แดช / บอร์ด" (ICU's dictionary does not know the loanword), as it once broke
"เวิร์/กช็อป". Debian's chromium through Playwright against the real server."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from workshop.config import Config
from workshop.services import accounts
from workshop.store.db import Store
from workshop.thai_words import KEEP_WHOLE, WORD_JOINER

pytestmark = pytest.mark.browser

# Where each text node of the page wraps: [text, [offsets where a new line starts]].
WRAPS = """() => {
  const found = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (!node.data.trim()) continue;
    const range = document.createRange(), starts = [];
    let last = null;
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      if (last !== null && box.top > last + 3) starts.push(i);
      last = box.top;
    }
    found.push([node.data, starts]);
  }
  return found;
}"""


def broken_words(wraps) -> list[str]:
    """Each word of KEEP_WHOLE that a line break falls inside."""
    broken = []
    for text, starts in wraps:
        for parts in KEEP_WHOLE:
            for word in ("".join(parts), WORD_JOINER.join(parts)):
                at = text.find(word)
                while at >= 0:
                    broken += [f"{text[:cut]} / {text[cut:]}" for cut in starts if at < cut < at + len(word)]
                    at = text.find(word, at + 1)
    return broken


def test_the_thai_setup_page_never_breaks_a_word_across_lines(browser, live_server):
    store = Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(live_server.data_dir)}).database_url)
    try:
        with store.session() as db:
            token = accounts.setup_token_if_needed(db, live_server.data_dir)
    finally:
        store.dispose()
    for width in (360, 400, 1366):
        page = browser.new_page(viewport={"width": width, "height": 800}, locale="th-TH")
        page.goto(f"{live_server.url}/organizer/setup?token={token}&lang=th")
        expect(page.locator("h1")).to_have_text("ตั้งรหัสผ่านผู้จัดการประชุม", timeout=WAIT_MS)
        assert "แดชบอร์ด" in page.locator("main").inner_text().replace(WORD_JOINER, "")
        assert broken_words(page.evaluate(WRAPS)) == [], width
        page.close()
