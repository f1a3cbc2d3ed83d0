"""The plan editor in a real browser (Debian's chromium through Playwright, the real server):
a facilitator types into a field and sees it saved, reloads and finds it; a second page
editing the same field meanwhile gets the conflict notice, sees the other value, and re-applies
its own. The pictures are drawn, and items move with the keyboard."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browsers import SCREENS, WAIT_MS
from tests.workshop_data import make_workshop
from workshop.config import Config
from workshop.services import sessions
from workshop.store.db import Store
from workshop.store.decisions import record_decision
from workshop.store.models import WorkshopSession

pytestmark = pytest.mark.browser


def write_workshop(server, decide_more: bool = False) -> str:
    """The test workshop written into the server's database; returns its facilitator plan link.
    `decide_more` decides 4.4 as well, so three categories have a decided criterion."""
    config = Config.from_env({"WORKSHOP_DATA_DIR": str(server.data_dir)})
    store = Store.open(config.database_url)
    try:
        facts = make_workshop(store)
        with store.session() as db:
            if decide_more:
                record_decision(db, session_id=facts.session_id, criterion_code="4.4", agreed_level=0,
                                target_level=2, importance=5)
            key = sessions.link_key(config.secret_key, db.get(WorkshopSession, facts.session_id), "facilitator")
    finally:
        store.dispose()
    return f"{server.url}/facilitate/{facts.session_id}/{key}/plan?lang=th"


@pytest.fixture
def plan_url(module_live_server):
    return write_workshop(module_live_server)


def open_editor(browser, url: str, errors: list, items: int = 3):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="th-TH")
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")  # 409: the expected conflict
            if r.status >= 400 and r.status != 409 and not r.url.endswith("/favicon.ico") else None)
    page.goto(url)
    expect(page.locator(".plan-item")).to_have_count(items, timeout=WAIT_MS)
    return page


def owner_of(page, code: str):
    return page.locator(f'.plan-item[data-code="{code}"] [data-field="owner"]')


def saved(page):
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved", timeout=WAIT_MS)


def test_an_edit_is_saved_kept_after_a_reload_and_a_second_editor_sees_the_conflict(browser, plan_url):
    errors: list[str] = []
    first = open_editor(browser, plan_url, errors)
    second = open_editor(browser, plan_url, errors)  # loaded before anything changes

    # the pictures: two categories decided (bars instead of a flat radar), a dot per item in the
    # matrix, a distribution per item
    expect(first.locator("#chart-radar svg desc")).to_contain_text(": 1 → 2.5; ")
    expect(first.locator("#chart-radar svg desc")).to_contain_text(": 2 → 3")
    expect(first.locator("#chart-matrix .matrix-point")).to_have_count(3)
    expect(first.locator(".plan-item .chart-small svg")).to_have_count(3)
    expect(first.locator('.plan-item[data-code="1.2"] [data-quarter-label="start_quarter"]')).to_have_text(
        "ไตรมาส 1/2570 (ต.ค.–ธ.ค. 2569)")

    owner_of(first, "1.1").fill("กองยุทธศาสตร์และแผนงาน")
    saved(first)
    first.reload()
    expect(owner_of(first, "1.1")).to_have_value("กองยุทธศาสตร์และแผนงาน", timeout=WAIT_MS)

    owner_of(second, "1.1").fill("กลุ่มพัฒนาระบบบริหาร")
    expect(second.locator("#save-state")).to_have_attribute("data-state", "conflict", timeout=WAIT_MS)
    expect(owner_of(second, "1.1")).to_have_value("กองยุทธศาสตร์และแผนงาน")  # theirs is shown
    note = second.locator('.plan-item[data-code="1.1"] .field-owner .field-note')
    expect(note.locator("q.mine")).to_have_text("กลุ่มพัฒนาระบบบริหาร")  # yours is kept
    SCREENS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=str(SCREENS / "plan-editor-conflict.png"), full_page=True)
    note.get_by_role("button").first.click()  # re-apply mine
    saved(second)
    expect(owner_of(second, "1.1")).to_have_value("กลุ่มพัฒนาระบบบริหาร")
    first.reload()
    expect(owner_of(first, "1.1")).to_have_value("กลุ่มพัฒนาระบบบริหาร", timeout=WAIT_MS)

    # a different field typed on the stale page merges instead of conflicting
    second_indicator = second.locator('.plan-item[data-code="2.1"] [data-field="indicator"]')
    second_indicator.fill("ร้อยละของแผนที่เชื่อมโยงยุทธศาสตร์")
    saved(second)
    assert errors == []


def test_items_move_with_the_keyboard_and_the_order_stays(browser, module_live_server):
    errors: list[str] = []
    page = open_editor(browser, write_workshop(module_live_server, decide_more=True), errors, items=4)
    expect(page.locator("#chart-radar svg polygon.radar-current")).to_have_count(1)  # three axes
    expect(page.locator("#chart-radar svg .radar-axis")).to_have_count(3)
    expect(page.locator("#chart-matrix .matrix-point")).to_have_count(4)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.locator(".plan-pictures").screenshot(path=str(SCREENS / "plan-pictures.png"))
    codes = page.locator(".plan-item").evaluate_all("nodes => nodes.map(n => n.dataset.code)")
    page.locator(f'.plan-item[data-code="{codes[0]}"] [data-move="down"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator(".plan-item").first).to_have_attribute("data-code", codes[1], timeout=WAIT_MS)
    focused = page.evaluate("document.activeElement.closest('.plan-item').dataset.code")
    assert focused == codes[0]  # the focus follows the moved item
    page.reload()
    expect(page.locator(".plan-item").nth(1)).to_have_attribute("data-code", codes[0], timeout=WAIT_MS)

    scope = page.locator(f'.plan-item[data-code="{codes[1]}"] [data-field="out_of_scope"]')
    scope.check()
    expect(page.locator(f'.plan-item[data-code="{codes[1]}"]')).to_have_class(re.compile(r"\bis-out\b"),
                                                                              timeout=WAIT_MS)
    assert errors == []


def test_the_upgrade_plan_and_the_annual_action_plan_follow_what_the_group_types(browser, plan_url):
    errors: list[str] = []
    page = open_editor(browser, plan_url, errors)
    upgrade = page.locator("#upgrade-plan")
    expect(upgrade.locator("thead th")).to_have_text(
        ["ประเด็น", "ระดับปัจจุบัน", "เป้าหมาย ปีงบประมาณ 2570", "เป้าหมาย ปีงบประมาณ 2571",
         "เป้าหมาย ปีงบประมาณ 2572"])
    row = upgrade.locator('tr[data-code="1.2"] select')
    # 1.2 climbs 1 -> 3, one level a year, but the group set 2571 to level 2
    assert [row.nth(i).input_value() for i in range(3)] == ["2", "2", "3"]
    row.nth(1).select_option("3")
    saved(page)

    annual = page.locator("#annual-plan")
    expect(annual.locator("thead th").nth(2)).to_contain_text("ต.ค.–ธ.ค.")
    marks = annual.locator('tr[data-code="1.2"] td.quarter')
    expect(marks).to_have_count(4)
    assert [marks.nth(i).get_attribute("data-on") for i in range(4)] == ["1", "1", "0", "0"]

    item = page.locator('.plan-item[data-code="2.1"]')
    item.locator('[data-field="ofi"]').fill("แผนยังไม่เชื่อมโยงยุทธศาสตร์ชาติ")
    item.locator('[data-field="project"]').fill("โครงการถ่ายทอดยุทธศาสตร์")
    item.locator('[data-field="start_quarter"]').fill("ไตรมาส 3/2570")
    item.locator('[data-field="end_quarter"]').fill("4/2570")
    item.locator('[data-field="budget_amount"]').fill("๑,๕๐๐,๐๐๐")
    saved(page)
    row21 = annual.locator('tr[data-code="2.1"]')
    expect(row21.locator("th")).to_contain_text("โครงการถ่ายทอดยุทธศาสตร์")
    expect(row21.locator('td.quarter[data-on="1"]')).to_have_count(2, timeout=WAIT_MS)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.locator("#annual-plan").screenshot(path=str(SCREENS / "plan-annual.png"))

    page.reload()
    expect(page.locator('#upgrade-plan tr[data-code="1.2"] select').nth(1)).to_have_value("3",
                                                                                      timeout=WAIT_MS)
    expect(page.locator('.plan-item[data-code="2.1"] [data-field="budget_amount"]')).to_have_value(
        "1,500,000")
    expect(page.locator('.plan-item[data-code="2.1"] [data-field="ofi"]')).to_have_value(
        "แผนยังไม่เชื่อมโยงยุทธศาสตร์ชาติ")
    expect(page.locator('#annual-plan tr[data-code="2.1"] td.quarter[data-on="1"]')).to_have_count(2)
    assert errors == []


def test_actions_are_added_edited_merged_and_dropped_and_stay_after_a_reload(browser, plan_url):
    errors: list[str] = []
    page = open_editor(browser, plan_url, errors)
    actions = page.locator('.plan-item[data-code="1.1"] .actions-box')
    rows = actions.locator(".action-row input:not([type=checkbox])")
    before = rows.count()
    for text in ("จัดทำแผนปฏิบัติการ", "แต่งตั้งคณะทำงาน"):
        actions.locator(".action-add input").fill(text)
        actions.locator(".action-add button[type=submit]").click()
        expect(rows).to_have_count(before + (1 if text == "จัดทำแผนปฏิบัติการ" else 2), timeout=WAIT_MS)
        saved(page)
    rows.nth(before).fill("จัดทำแผนปฏิบัติการประจำปี")  # saved after the typist's pause
    saved(page)
    page.reload()
    expect(rows).to_have_count(before + 2, timeout=WAIT_MS)
    expect(rows.nth(before)).to_have_value("จัดทำแผนปฏิบัติการประจำปี")

    actions.locator(".merge-pick").nth(before).check()
    actions.locator(".merge-pick").nth(before + 1).check()
    actions.locator(".merge-row button").click()
    expect(rows).to_have_count(before + 1, timeout=WAIT_MS)
    saved(page)
    actions.locator(".action-row").nth(before).get_by_role("button").click()  # drop
    expect(rows).to_have_count(before, timeout=WAIT_MS)
    saved(page)
    page.reload()
    expect(page.locator(".plan-item")).to_have_count(3, timeout=WAIT_MS)
    expect(rows).to_have_count(before)
    assert errors == []
