"""The phone in a real room, in Chromium at 360x640: it says it is offline wherever it is
scrolled; a vote tapped offline that the room closed before the phone came back is said not to
be counted; when the facilitator asks for a reason or for ideas the phone brings that box into
view and its status line says so; its header stays one compact line and every touch target
(the facilitator's proxy buttons too) is at least 44x44 px."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browsers import SMALL_PHONE, WAIT_MS, joined_small_phone
from tests.helpers import make_session
from tests.room_driver import Room
from tests.test_live_retries_browser import _count, _open_round
from workshop.store.models import Vote
from workshop.thai_words import keep_whole  # the pages keep loanwords whole with a word joiner

pytestmark = pytest.mark.browser
TARGET_PX = 44

COVERED = """node => {
  const box = node.getBoundingClientRect();
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return !(top && node.contains(top));
}"""


def test_a_phone_scrolled_down_while_offline_still_says_it_is_offline(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    _open_round(module_live_server, session)
    phone, errors = joined_small_phone(browser, session["join"])
    expect(phone.locator(".level").first).to_be_visible(timeout=WAIT_MS)
    phone.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    phone.context.set_offline(True)
    banner = phone.locator("#conn-banner")
    expect(banner).to_have_attribute("data-state", "offline", timeout=WAIT_MS)
    expect(banner).to_have_text(keep_whole("ไม่มีสัญญาณเครือข่าย โทรศัพท์จะเชื่อมต่อใหม่เอง"))
    expect(banner).to_be_in_viewport(ratio=1)
    assert phone.evaluate("() => window.scrollY") > 0  # the page really is scrolled down
    assert banner.evaluate(COVERED) is False  # nothing on top of it
    phone.context.set_offline(False)
    expect(banner).to_be_hidden(timeout=WAIT_MS)
    assert errors == []


NOT_COUNTED = {
    "th-TH": keep_whole("คะแนนของท่าน (2 · ก้าวหน้า) ไม่ได้รับการนับ "
                        "เนื่องจากปิดการลงคะแนนก่อนที่โทรศัพท์ของท่านจะกลับมาเชื่อมต่อเครือข่าย"),
    "en-US": "Your vote (2 · Advance) was not counted: voting closed before your phone was back online.",
}


@pytest.mark.parametrize("locale", sorted(NOT_COUNTED))
def test_a_vote_tapped_offline_after_which_the_round_closed_is_said_not_to_be_counted(browser, module_live_server, locale):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    round_id = _open_round(module_live_server, session)
    phone, errors = joined_small_phone(browser, session["join"], locale=locale)
    expect(phone.locator(".level").first).to_be_visible(timeout=WAIT_MS)
    phone.context.set_offline(True)
    expect(phone.locator("#conn-banner")).to_have_attribute("data-state", "offline", timeout=WAIT_MS)
    phone.locator('.level[data-level="2"]').tap()
    expect(phone.locator('.level[data-level="2"]')).to_have_class("level sending")

    Room(module_live_server.url, session).act("close_round", {"round_id": round_id})  # meanwhile
    phone.context.set_offline(False)

    lost = phone.locator("#vote-lost")
    expect(lost).to_be_visible(timeout=WAIT_MS)
    expect(lost).to_have_text(NOT_COUNTED[locale])
    expect(lost).to_be_in_viewport()
    expect(phone.locator("#status")).to_have_attribute("data-phase", "closed")
    assert _count(module_live_server, Vote, round_id=round_id) == 0
    assert errors == []


def test_a_phone_asked_for_a_reason_then_for_ideas_shows_the_box_and_says_so(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url, organization="สำนักงานปลัดกระทรวง")
    room = Room(module_live_server.url, session)
    round_id = room.act("open_round", {"criterion": "1.1"})["round"]["id"]
    phone, errors = joined_small_phone(browser, session["join"])
    phone.locator('.level[data-level="3"]').tap()
    expect(phone.locator('.level[data-level="3"]')).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    room.others_vote(round_id, [1, 1, 1, 1])  # the phone's 3 lies outside the room's band
    room.act("close_round", {"round_id": round_id})
    room.act("reveal", {"round_id": round_id})
    status = phone.locator("#status")
    expect(status).to_have_attribute("data-phase", "revealed", timeout=WAIT_MS)
    expect(phone.locator("#explain-box")).not_to_be_in_viewport()  # under the results, at first

    room.act("explain", {"round_id": round_id, "open": True})
    expect(phone.locator("#explain-box")).to_be_in_viewport(ratio=0.9, timeout=WAIT_MS)
    expect(status).to_have_text("คะแนนของท่านต่างจากผู้เข้าร่วมส่วนใหญ่ กรุณาระบุเหตุผลในช่องด้านล่าง")
    expect(status).to_have_attribute("data-phase", "explain")
    phone.locator("#reason").fill("มีตัวชี้วัดครบทุกตัวแล้ว")
    phone.locator("#explain-box button[type=submit]").tap()
    expect(phone.locator("#reason-status")).to_have_text("ขอบคุณ เหตุผลของท่านแสดงบนจอแล้วโดยไม่ระบุชื่อ", timeout=WAIT_MS)

    phone.evaluate("() => window.scrollTo(0, 0)")
    room.act("ideas_phase", {"criterion": "1.1", "open": True})
    expect(phone.locator("#ideas-box")).to_be_in_viewport(timeout=WAIT_MS)
    expect(status).to_have_attribute("data-phase", "ideas")
    expect(status).to_have_text("วิทยากรขอรับข้อเสนอ กรุณาเสนอจุดแข็ง โอกาสในการปรับปรุง "
                                "หรือข้อเสนอแนะเพื่อการปรับปรุงในช่องด้านล่าง")
    assert errors == []


TARGETS = """() => [...document.querySelectorAll(
    "a[href], button, summary, select, input:not([type=checkbox]):not([type=radio]), textarea, label:has(input)")]
  .filter(node => node.getClientRects().length && getComputedStyle(node).visibility !== "hidden")
  .map(node => { const b = node.getBoundingClientRect();
                 return {what: node.outerHTML.slice(0, 80), w: Math.round(b.width), h: Math.round(b.height)}; })"""


def small_targets(page) -> list[dict]:
    return [t for t in page.evaluate(TARGETS) if t["w"] < TARGET_PX or t["h"] < TARGET_PX]


def test_a_phone_with_a_long_organization_name_keeps_a_compact_header_and_large_touch_targets(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url, title="การประชุมเชิงปฏิบัติการประเมินสถานะ PMQA 4.0",
                           organization="สำนักงานปลัดกระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์ " * 2)
    _open_round(module_live_server, session)
    joining = browser.new_context(locale="th-TH", **SMALL_PHONE).new_page()
    joining.goto(session["join"])
    expect(joining.locator("#join-form")).to_be_visible(timeout=WAIT_MS)
    assert small_targets(joining) == []
    header = joining.locator(".phone-bar").bounding_box()
    assert header["height"] <= 56
    assert "สำนักงานปลัดกระทรวง" in joining.locator(".phone-title").get_attribute("title")

    phone, errors = joined_small_phone(browser, session["join"])
    expect(phone.locator(".level").first).to_be_visible(timeout=WAIT_MS)
    assert phone.locator(".phone-bar").bounding_box()["height"] <= 56
    assert small_targets(phone) == []

    facilitator = browser.new_context(locale="th-TH", **SMALL_PHONE).new_page()
    facilitator.goto(session["facilitator"])
    facilitator.locator("#proxy-name").fill("นายสมชาย ใจดี")
    facilitator.locator("#proxy-form button[type=submit]").click()
    proxy_buttons = facilitator.locator("#proxies .proxy-buttons button")
    expect(proxy_buttons).to_have_count(5, timeout=WAIT_MS)
    for box in (proxy_buttons.nth(i).bounding_box() for i in range(5)):
        assert box["width"] >= TARGET_PX and box["height"] >= TARGET_PX
    assert errors == []
