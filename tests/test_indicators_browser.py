"""Category 7 in a real browser: the facilitator enters an indicator of item 7.2 on the control
page, opens the vote, and the projector (1920x1080) and a 360x640 phone show its three-year
trend as a small SVG with the values, the verdict and the suggested level, nothing cut off."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browsers import WAIT_MS, joined_small_phone
from tests.helpers import make_session
from tests.test_item_statements_browser import assert_nothing_clipped, shot

pytestmark = pytest.mark.browser


def _control_page_with_an_indicator(browser, live_server):
    """A session held on 9 May 2026 (fiscal year 2569) whose facilitator, on item 7.2, entered
    one indicator that met its target and improves: the results suggest level 3."""
    session = make_session(live_server.data_dir, live_server.url, anonymous=True, held_on=date(2026, 5, 9))
    facilitator = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="th-TH")
    facilitator.goto(session["facilitator"])
    facilitator.locator(".agenda-item", has_text="7.2").click()
    form = facilitator.locator(".ind-form")
    expect(form).to_be_visible(timeout=WAIT_MS)
    form.locator("[name=name]").fill("ความพึงพอใจของผู้รับบริการ")
    form.locator("[name=unit]").fill("ร้อยละ")
    form.locator("[name=target]").fill("85")
    for year, value in (("2567", "80"), ("2568", "84"), ("2569", "88")):
        form.locator(f"[name=y{year}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(facilitator.locator(".ind-suggested")).to_have_text("ผลลัพธ์บ่งชี้ระดับ 3", timeout=WAIT_MS)
    return session, facilitator


def test_the_projector_and_a_phone_show_the_trend_of_an_indicator_the_facilitator_entered(
        browser, live_server):
    session, facilitator = _control_page_with_an_indicator(browser, live_server)

    projector = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="th-TH")
    projector.goto(session["projector"])
    phone, errors = joined_small_phone(browser, session["join"])
    facilitator.keyboard.press("o")

    for screen in (projector, phone):
        indicator = screen.locator(".ind")
        expect(indicator.locator(".ind-name")).to_contain_text("ความพึงพอใจของผู้รับบริการ", timeout=WAIT_MS)
        expect(indicator.locator("svg.ind-chart circle")).to_have_count(3)
        expect(indicator.locator(".ind-values dd")).to_have_text(["80", "84", "88", "85"])
        expect(indicator.locator(".ind-verdict")).to_contain_text("บรรลุค่าเป้าหมาย")
        expect(indicator.locator(".ind-verdict")).to_contain_text("แนวโน้มดีขึ้น")
        expect(screen.locator(".ind-suggested")).to_have_text("ผลลัพธ์บ่งชี้ระดับ 3")
    # read from the back of the room: the chart is drawn large on the projector
    assert projector.locator("svg.ind-chart").bounding_box()["width"] >= 240
    assert_nothing_clipped(phone, ".ind-name, .ind-values, .ind-verdict, .ind-suggested")
    assert_nothing_clipped(projector, ".ind-name, .ind-values, .ind-verdict")
    shot(projector, "projector-indicator-trend", full=False)
    shot(phone, "phone-indicator-trend")
    assert errors == []


def test_the_decision_form_proposes_the_level_the_results_suggest_until_the_room_votes(
        browser, live_server):
    session, facilitator = _control_page_with_an_indicator(browser, live_server)
    # no vote yet: the form proposes what the results suggest, and says so
    expect(facilitator.locator("#proposal")).to_contain_text("ระดับที่เสนอ: 3 (ตามที่ผลลัพธ์บ่งชี้)",
                                                             timeout=WAIT_MS)
    expect(facilitator.locator("#agreed")).to_have_value("3")
    choice = facilitator.locator("#use-indicators")
    expect(choice).to_be_hidden()

    phone, errors = joined_small_phone(browser, session["join"])
    facilitator.keyboard.press("o")
    phone.locator('.level[data-level="1"]').tap()
    expect(phone.locator('.level[data-level="1"]')).to_have_class(re.compile(r"\bchosen\b"), timeout=WAIT_MS)
    facilitator.keyboard.press("c")
    # voted: the room's median proposes, and the facilitator may choose the results instead
    expect(facilitator.locator("#proposal")).to_contain_text("ระดับที่เสนอ: 1 (มัธยฐานของคะแนนเสียง)",
                                                             timeout=WAIT_MS)
    expect(facilitator.locator("#agreed")).to_have_value("1")
    choice.check()
    expect(facilitator.locator("#proposal")).to_contain_text("ระดับที่เสนอ: 3 (ตามที่ผลลัพธ์บ่งชี้)")
    expect(facilitator.locator("#agreed")).to_have_value("3")
    facilitator.locator("#decide-form button[type=submit]").click()  # no note: it is the proposal
    expect(facilitator.locator("#proposal .decided-now")).to_contain_text("3", timeout=WAIT_MS)
    expect(facilitator.locator("#decide-status")).not_to_contain_text("หมายเหตุ")
    assert errors == []
