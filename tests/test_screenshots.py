"""Every screen of a PMQA workshop in Thai, as the README and the facilitator's guide show it.

A real server, Debian's chromium: five phones join and vote on item 1.1, the facilitator opens,
reveals and decides it, then the plan editor and the organizer's dashboard. Each screen must
render with no script error, CSP violation or failed request. With WORKSHOP_SCREENSHOTS set
(`WORKSHOP_SCREENSHOTS=docs/screenshots pytest tests/test_screenshots.py`) each screen is saved
there as <screen>-<state>-th.png: phones at 360x640, the other screens at 1366x768, at 1x and
reduced to a 256-colour palette so the PNGs stay small in the repository.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.group_data import set_organizer_password
from tests.helpers import make_session
from tests.test_browser import tap_level, watch_console

pytestmark = pytest.mark.browser

PASSWORD = "ผู้จัด-รหัสผ่าน-2570"
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1, "locale": "th-TH"}
LAPTOP = {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1, "locale": "th-TH"}
LEVELS = ("2", "2", "2", "1", "3")  # five officials of the division, one item


class Screens:
    """Takes each screen; keeps it in WORKSHOP_SCREENSHOTS when that is set."""

    def __init__(self) -> None:
        folder = os.environ.get("WORKSHOP_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        self.taken: list[str] = []

    def take(self, page, name: str) -> None:
        png = page.screenshot()
        image = Image.open(io.BytesIO(png))
        assert image.size in ((360, 640), (1366, 768)), (name, image.size)
        assert len(image.convert("L").getcolors(maxcolors=1 << 16) or [0, 0]) > 1, f"{name} is blank"
        self.taken.append(name)
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            small.save(self.folder / f"{name}-th.png", optimize=True)


@pytest.fixture
def seminar(live_server):
    set_organizer_password(live_server.data_dir, PASSWORD)
    return make_session(
        live_server.data_dir, live_server.url, agenda=("1.1", "1.2", "2.1"),
        title="ประเมินสถานะการพัฒนาระบบบริหารจัดการองค์การ (PMQA 4.0) ปีงบประมาณ พ.ศ. 2570",
        organization="สำนักงานเลขานุการกรม กรมพัฒนาการบริหารราชการ")


def open_page(browser, url: str, errors: list, **options):
    page = browser.new_context(**options).new_page()
    watch_console(page, errors)
    page.goto(url)
    return page


def test_every_screen_of_a_workshop_renders_in_thai(browser, live_server, seminar):
    screens, errors = Screens(), []
    projector = open_page(browser, seminar["projector"], errors, **LAPTOP)
    expect(projector.locator("img.qr-big")).to_have_js_property("complete", True, timeout=WAIT_MS)
    facilitator = open_page(browser, seminar["facilitator"], errors, **LAPTOP)
    expect(facilitator.locator("#criterion .crit-code")).to_have_text("1.1", timeout=WAIT_MS)

    phones = [open_page(browser, seminar["join"], errors, **PHONE) for _ in LEVELS]
    expect(phones[0].locator("#join-form button[type=submit]")).to_be_visible(timeout=WAIT_MS)
    screens.take(phones[0], "phone-join")
    for phone in phones:
        phone.locator("#join-form button[type=submit]").tap()
        expect(phone.locator("#live-view")).to_be_visible(timeout=WAIT_MS)
    expect(projector.locator("#present")).to_have_text(str(len(phones)), timeout=WAIT_MS)
    screens.take(projector, "projector-lobby")

    facilitator.keyboard.press("o")
    for phone, level in zip(phones, LEVELS):
        expect(phone.locator("#status")).to_have_attribute("data-phase", "voting", timeout=WAIT_MS)
        tap_level(phone, level)
    expect(facilitator.locator("#voted")).to_contain_text(str(len(phones)), timeout=WAIT_MS)
    screens.take(phones[0], "phone-voting")
    screens.take(facilitator, "facilitator-open")

    facilitator.keyboard.press("c")
    expect(phones[0].locator("#status")).to_have_attribute("data-phase", "closed", timeout=WAIT_MS)
    facilitator.keyboard.press("r")
    expect(projector.locator("#results .verdict")).to_be_visible(timeout=WAIT_MS)
    expect(phones[0].locator("#status")).to_have_attribute("data-phase", "revealed", timeout=WAIT_MS)
    screens.take(projector, "projector-revealed")
    phones[0].locator("#results").scroll_into_view_if_needed()
    screens.take(phones[0], "phone-revealed")
    facilitator.locator("#decide-form").scroll_into_view_if_needed()
    expect(facilitator.locator("#decide-form")).to_be_visible()
    screens.take(facilitator, "facilitator-decide")

    facilitator.locator("#decide-form button[type=submit]").click()
    expect(facilitator.locator(".agenda .decided")).to_have_count(1, timeout=WAIT_MS)
    plan = open_page(browser, seminar["facilitator"] + "/plan", errors, **LAPTOP)
    expect(plan.locator("#plan-items > *").first).to_be_visible(timeout=WAIT_MS)
    expect(plan.locator("#chart-radar svg")).to_be_visible(timeout=WAIT_MS)
    screens.take(plan, "plan-editor")

    dashboard = open_page(browser, live_server.url + "/organizer/login", errors, **LAPTOP)
    dashboard.locator("#password").fill(PASSWORD)
    dashboard.locator("button[type=submit]").click()
    expect(dashboard.get_by_text("ประเมินสถานะการพัฒนาระบบบริหารจัดการองค์การ").first).to_be_visible(timeout=WAIT_MS)
    screens.take(dashboard, "dashboard")

    assert screens.taken == ["phone-join", "projector-lobby", "phone-voting", "facilitator-open",
                             "projector-revealed", "phone-revealed", "facilitator-decide",
                             "plan-editor", "dashboard"]
    assert errors == []
