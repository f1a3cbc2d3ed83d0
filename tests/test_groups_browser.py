"""The organizer's live progress page and the plenary view in Chromium, against the real server:
the progress table follows the groups as they work, the organizer settles a conflict in the
page, and the plenary view walks through the merged results at 1920x1080 by keyboard and by
the organizer's buttons, with nothing clipped (a long Thai settlement note included)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.group_data import DECIDED, GROUPS, SECRET, make_grouped_on_disk, set_organizer_password
from tests.test_browser import shot, watch_console
from tests.test_item_statements_browser import CLIPPED
from workshop.config import Config
from workshop.services import decisions, participants, rounds, voting
from workshop.store.db import Store
from workshop.store.models import WorkshopSession

pytestmark = pytest.mark.browser
PASSWORD = "a long organizer password"
LONG_NOTE = ("ที่ประชุมใหญ่เห็นชอบให้ใช้มติของกลุ่ม ข เนื่องจากกลุ่ม ข ได้ตรวจสอบหลักฐานเชิงประจักษ์"
             "ครบถ้วนทุกรายการ ทั้งแผนยุทธศาสตร์ รายงานผลการดำเนินงาน และบันทึกการประชุมคณะทำงาน ") * 5
# Every element of the plenary that runs past the bottom of the screen (CLIPPED checks the rest).
BELOW = """selector => Array.from(document.querySelectorAll(selector))
  .filter(el => el.offsetParent !== null && el.getBoundingClientRect().bottom > window.innerHeight + 0.5)
  .map(el => el.className + ": " + el.textContent.slice(0, 40))"""


def decide_in_the_groups(data_dir, made) -> None:
    """The groups work (beside the running server): three phones each, the rounds of DECIDED."""
    store = Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)}).database_url)
    try:
        with store.session() as db:
            sessions = [db.get(WorkshopSession, g["id"]) for g in made["groups"]]
            phones = [[participants.join(db, s, client_key=f"b{n}", secret_key=SECRET).participant
                       for n in range(3)] for s in sessions]
            for index, code, levels, agreed, target, importance, note in DECIDED:
                opened = rounds.open_round(db, sessions[index], code)
                for phone, level in zip(phones[index], levels):
                    voting.cast_vote(db, sessions[index].id, phone.id, round_id=opened.id, level=level)
                rounds.close_round(db, sessions[index], opened.id)
                rounds.reveal(db, sessions[index], opened.id)
                decisions.decide(db, sessions[index], criterion=code, agreed_level=agreed,
                                 target_level=target, importance=importance, note=note)
    finally:
        store.dispose()


def logged_in_page(browser, module_live_server, errors: list[str]):
    """A desktop page of the organizer, logged in (the password set beforehand)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="th-TH")
    watch_console(page, errors)
    page.goto(f"{module_live_server.url}/organizer/login?lang=th")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    return page


def assert_fits(page) -> None:
    expect(page.locator("section.slide:visible")).to_have_count(1)  # one slide at a time
    selector = ".slide:not([hidden]), .slide:not([hidden]) *"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert page.evaluate(CLIPPED, selector) == []
    assert page.evaluate(BELOW, selector) == []


def test_the_organizer_watches_the_groups_settles_and_drives_the_plenary(browser, module_live_server):
    set_organizer_password(module_live_server.data_dir, PASSWORD)
    made = make_grouped_on_disk(module_live_server.data_dir, module_live_server.url)
    errors: list[str] = []
    organizer = logged_in_page(browser, module_live_server, errors)
    organizer.goto(f"{module_live_server.url}/organizer/workshops/{made['id']}")
    rows = organizer.locator("table.group-progress tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator('[data-field="decided"]')).to_have_text("0")

    decide_in_the_groups(module_live_server.data_dir, made)  # the page follows without a reload
    expect(rows.nth(0).locator('[data-field="decided"]')).to_have_text("2", timeout=WAIT_MS)
    expect(rows.nth(1).locator('[data-field="joined"]')).to_have_text("3", timeout=WAIT_MS)
    expect(rows.nth(1).locator('[data-field="current"]')).to_have_text("2.2")
    expect(rows.nth(1).locator('[data-field="status"]')).to_have_attribute("data-status", "live")
    shot(organizer, "groups-organizer-progress")

    organizer.reload()  # the conflict appears on the page once two groups decided 2.1
    conflict = organizer.locator("form.conflict")
    expect(conflict).to_have_count(1)
    conflict.locator(f'input[value="{made["groups"][1]["id"]}"]').check()
    conflict.locator("textarea").fill(LONG_NOTE)
    conflict.locator("button[type=submit]").click()
    expect(organizer.locator("form.conflict.settled")).to_have_count(1)

    plenary = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="th-TH")
    watch_console(plenary, errors)
    plenary.goto(f"{module_live_server.url}/plenary/{made['id']}/{made['plenary_key']}")
    deck = plenary.locator("#plenary")
    expect(plenary.locator(".slide-overview")).to_be_visible()
    expect(plenary.locator(".slide-overview")).to_contain_text(GROUPS[0].name)
    assert_fits(plenary)
    for position, code in ((1, "1.1"), (2, "2.1"), (3, "2.2")):
        plenary.keyboard.press("ArrowRight")
        expect(deck).to_have_attribute("data-position", str(position), timeout=WAIT_MS)
        expect(plenary.locator(".slide:not([hidden]) .crit-code")).to_have_text(code)
        assert_fits(plenary)
        shot(plenary, f"groups-plenary-{position}")
    expect(plenary.locator(".slide:not([hidden])")).to_contain_text(GROUPS[1].name)
    plenary.keyboard.press("ArrowLeft")
    expect(deck).to_have_attribute("data-position", "2", timeout=WAIT_MS)
    settled = plenary.locator(".slide:not([hidden])")
    expect(settled).to_contain_text(LONG_NOTE.strip()[:40])
    expect(settled.locator(".conflict-box li")).to_have_count(2)
    assert_fits(plenary)

    organizer.locator('#plenary button[value="previous"]').click()  # the organizer moves it too
    expect(deck).to_have_attribute("data-position", "1", timeout=WAIT_MS)
    expect(plenary.locator(".slide:not([hidden]) .crit-code")).to_have_text("1.1")
    assert errors == []


def test_the_organizer_edits_the_merged_plan_in_the_page_and_the_row_lands_in_its_groups_plan(
        browser, module_live_server):
    from workshop.services import groups as group_service
    from workshop.services import merge
    from workshop.store.models import PlanItem

    set_organizer_password(module_live_server.data_dir, PASSWORD)
    made = make_grouped_on_disk(module_live_server.data_dir, module_live_server.url)
    decide_in_the_groups(module_live_server.data_dir, made)
    store = Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(module_live_server.data_dir)}).database_url)
    try:
        with store.session() as db:
            merge.settle(db, group_service.get(db, made["id"]), "2.1", made["groups"][1]["id"],
                         "กลุ่ม ข มีหลักฐานครบกว่า", "organizer")
        errors: list[str] = []
        page = logged_in_page(browser, module_live_server, errors)
        page.goto(f"{module_live_server.url}/organizer/workshops/{made['id']}?lang=th")
        page.locator(f'a[href="/organizer/workshops/{made["id"]}/plan"]').click()
        row = page.locator("#item-2\\.1")
        expect(row.locator('[data-field="group"]')).to_have_text(GROUPS[1].name)
        row.locator("textarea[name=project]").fill("โครงการยกระดับแผนยุทธศาสตร์\nระยะที่ 1")
        row.locator("input[name=owner]").fill("กองยุทธศาสตร์และแผนงาน")
        row.locator("button[type=submit]").click()
        expect(page.locator("#item-2\\.1 input[name=owner]")).to_have_value("กองยุทธศาสตร์และแผนงาน", timeout=WAIT_MS)
        shot(page, "groups-merged-plan")
        with store.session() as db:
            items = {(i.session_id, i.criterion_code): i for i in db.query(PlanItem)}
            mine = items[(made["groups"][1]["id"], "2.1")]
            assert (mine.project, mine.owner) == ("โครงการยกระดับแผนยุทธศาสตร์\nระยะที่ 1", "กองยุทธศาสตร์และแผนงาน")
            assert items[(made["groups"][0]["id"], "2.1")].project is None
        assert errors == []
    finally:
        store.dispose()
