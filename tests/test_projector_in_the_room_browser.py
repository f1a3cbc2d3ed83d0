"""The projector in front of a room, in Chromium at 1920x1080: whatever the room sends (long
reasons, many long ideas) fits the screen without scrolling or clipping, and what does not fit
is counted and comes up in turn; a re-vote shows the earlier round on the same side as the
facilitator's page, with long level labels ellipsized; and the join QR code in the corner still
decodes from the back of the room (a screenshot at a third of its size, read by a real QR
decoder)."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.helpers import make_session
from tests.room_driver import Room

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}
LONG_REASON = ("หน่วยงานของเรามีระบบติดตามผลการดำเนินงานที่เชื่อมโยงกับยุทธศาสตร์ชาติและรายงานผู้บริหารทุกเดือน"
               "อย่างต่อเนื่องตลอดปีงบประมาณที่ผ่านมาครบถ้วน")[:140]
LONG_IDEA = ("จัดทำแผนสื่อสารวิสัยทัศน์และค่านิยมองค์การให้บุคลากรทุกระดับรับทราบผ่านช่องทางที่หลากหลาย "
             "ทั้งการประชุมประจำเดือน จดหมายข่าวอิเล็กทรอนิกส์ และกิจกรรมพบปะผู้บริหาร พร้อมติดตามผลการรับรู้"
             "ด้วยแบบสำรวจรายไตรมาสและนำผลมาปรับปรุงวิธีการสื่อสารอย่างต่อเนื่องเพื่อให้เกิดการมีส่วนร่วม"
             "ของทุกส่วนราชการในสังกัดและภาคีเครือข่ายที่เกี่ยวข้องทั้งภาครัฐและเอกชน")[:280]

OUT_OF_VIEW = """() => {
  const w = innerWidth, h = innerHeight, out = [];
  for (const node of document.querySelectorAll("body *")) {
    const box = node.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(node).visibility === "hidden") continue;
    if (box.left < -1 || box.top < -1 || box.right > w + 1 || box.bottom > h + 1)
      out.push(`${node.tagName}#${node.id}.${node.className} ${Math.round(box.top)}-${Math.round(box.bottom)}`);
  }
  return out;
}"""


def assert_fits_the_screen(page) -> None:
    """Every element inside the window and nothing to scroll to."""
    assert page.evaluate(OUT_OF_VIEW) == []
    size = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= PROJECTOR["width"] and size[1] <= PROJECTOR["height"]


def test_the_projector_fits_long_reasons_and_many_long_ideas_on_one_screen(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url, organization="สำนักงานปลัดกระทรวง" * 4)
    projector = browser.new_page(viewport=PROJECTOR, locale="th-TH")
    projector.goto(session["projector"])
    expect(projector.locator("#lobby")).to_be_visible(timeout=WAIT_MS)

    levels = [1] * 16 + [3] * 5  # the five on level 3 are outside the central band [1, 1]
    Room(module_live_server.url, session).voted_round(
        "1.1", levels, reasons={i: f"{i}. {LONG_REASON}"[:140] for i in range(16, 21)},
        ideas=[f"{i}. {LONG_IDEA}"[:280] for i in range(8)])

    expect(projector.locator("#results")).to_be_visible(timeout=WAIT_MS)
    expect(projector.locator("#reasons li")).to_have_count(5, timeout=WAIT_MS)
    expect(projector.locator("#ideas li")).to_have_count(8, timeout=WAIT_MS)
    projector.wait_for_timeout(500)  # the last drawing and its fitting
    assert_fits_the_screen(projector)
    # What does not fit is said, not dropped in silence; the first idea and reason are always shown.
    for kind in ("reasons", "ideas"):
        shown = projector.locator(f"#{kind} li:visible").count()
        assert shown >= 1
        if shown < projector.locator(f"#{kind} li").count():
            more = projector.locator(f"#{kind}-more")
            expect(more).to_be_visible()
            expect(more).to_have_text(f"และอีก {projector.locator(f'#{kind} li').count() - shown} รายการ")
    expect(projector.locator("#ideas li").first).to_be_in_viewport(ratio=1)

    # What was left out comes up in turn, and still fits.
    first_page = projector.locator("#ideas li:visible").all_text_contents()
    assert len(first_page) < 8
    expect(projector.locator("#ideas li:visible").first).not_to_have_text(first_page[0], timeout=30_000)
    assert_fits_the_screen(projector)
    zoom = projector.evaluate("() => getComputedStyle(document.getElementById('round')).zoom")
    assert float(zoom) >= 0.7  # shrunk, still legible from the back of the room


def test_a_re_vote_shows_the_earlier_round_on_the_left_on_both_screens_with_whole_labels_in_titles(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    room = Room(module_live_server.url, session)
    room.voted_round("1.1", [0, 1, 3])
    room.voted_round("1.1", [1, 1, 2])
    projector = browser.new_page(viewport=PROJECTOR, locale="th-TH")
    projector.goto(session["projector"])
    facilitator = browser.new_page(viewport={"width": 1366, "height": 768}, locale="th-TH")
    facilitator.goto(session["facilitator"])

    blocks = projector.locator("#results .proj-result")
    expect(blocks).to_have_count(2, timeout=WAIT_MS)
    expect(blocks.first.locator("h2")).to_contain_text("รอบที่ 1")
    assert blocks.first.bounding_box()["x"] < blocks.last.bounding_box()["x"]
    expect(facilitator.locator("#previous")).to_be_visible(timeout=WAIT_MS)
    expect(facilitator.locator("#previous h3")).to_contain_text("รอบที่ 1")
    assert facilitator.locator("#previous").bounding_box()["x"] < facilitator.locator("#results").bounding_box()["x"]

    for page in (projector, facilitator):
        labels = page.locator(".bar-label").evaluate_all("""nodes => nodes.map(n => {
            const style = getComputedStyle(n);
            const cut = n.scrollHeight > n.clientHeight + 1 || n.scrollWidth > n.clientWidth + 1;
            const ellipsis = style.textOverflow === "ellipsis" || style.webkitLineClamp !== "none";
            return {text: n.textContent, title: n.title, cut, ellipsis};
        })""")
        assert labels
        for label in labels:
            assert label["title"] == label["text"]
            assert label["ellipsis"] or not label["cut"], label


def _decoded(png: bytes, shrink: int) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("L")
    small = image.resize((image.width // shrink, image.height // shrink), Image.BILINEAR)
    return [found.text for found in zxingcpp.read_barcodes(small)]


def test_the_join_qr_code_during_a_round_reads_from_the_back_of_the_room(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    Room(module_live_server.url, session).act("open_round", {"criterion": "1.1"})
    projector = browser.new_page(viewport=PROJECTOR, locale="th-TH")
    projector.goto(session["projector"])
    expect(projector.locator("#round")).to_be_visible(timeout=WAIT_MS)
    corner = projector.locator("#corner-join img")
    expect(corner).to_have_js_property("complete", True, timeout=WAIT_MS)
    assert_fits_the_screen(projector)
    shot = projector.screenshot()
    assert session["join"] in _decoded(shot, 1)
    assert session["join"] in _decoded(shot, 3)  # a third of the size: the back of a room
