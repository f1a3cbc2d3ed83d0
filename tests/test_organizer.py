"""The organizer dashboard as an organizer uses it: first visit, login, new sessions, their links."""
from __future__ import annotations

import re

import pytest
from limits import parse_many
from sqlalchemy import event

from tests.organizer_fixtures import PASSWORD, csrf_of  # noqa: F401 (older imports)
from workshop.services import accounts
from workshop.store.decisions import record_decision, undo_last_decision
from workshop.store.keys import hash_token, new_token
from workshop.store.models import Participant, WorkshopSession
from workshop.web.organizer.login_limit import FAILED_LOGINS

pytestmark = pytest.mark.usefixtures("lan")
FAILURES_ALLOWED = parse_many(FAILED_LOGINS)[0].amount
ORGANIZER_PAGES = ["/organizer", "/organizer/sessions/new", "/organizer/sessions/abc",
                   "/organizer/sessions/abc/renew"]


def new_session_form(csrf: str, **overrides) -> dict:
    form = {"csrf_token": csrf, "title": "ประเมินตนเอง PMQA 4.0 ปีงบประมาณ 2570",
            "organization": "กรมตัวอย่าง", "held_on": "2026-11-05", "framework": "pmqa-4.0",
            "agenda": "", "language": "th", "privacy": "anonymous",
            "roles": "ผู้บริหาร\nหัวหน้างาน\nเจ้าหน้าที่", "results_mode": "hidden",
            "max_iqr": "", "min_adjacent_percent": ""}
    form.update(overrides)
    return form


def create(organizer, **overrides):
    return organizer.post("/organizer/sessions", data=new_session_form(organizer.csrf, **overrides))


def sessions_in(store) -> list[WorkshopSession]:
    with store.session() as db:
        return list(db.query(WorkshopSession))


# --- first visit ---------------------------------------------------------------------------

def test_the_first_visit_sets_the_password_with_the_printed_token_and_then_forgets_it(client, store, data_dir):
    with store.session() as db:
        token = accounts.setup_token_if_needed(db, data_dir)
    page = client.get(f"/organizer/setup?token={token}")
    assert page.status_code == 200
    answer = client.post("/organizer/setup", data={
        "csrf_token": csrf_of(page), "token": token, "username": "somchai",
        "password": PASSWORD, "confirm": PASSWORD})
    assert answer.status_code == 302 and answer.location.endswith("/organizer")
    assert client.get("/organizer").status_code == 200  # logged in straight away
    with store.session() as db:
        assert accounts.check_login(db, "somchai", PASSWORD)
    assert not accounts.setup_token_matches(data_dir, token)
    again = client.get(f"/organizer/setup?token={token}")
    assert again.status_code == 302 and "/organizer/login" in again.location


def test_a_setup_link_with_a_wrong_token_is_refused_and_sets_nothing(client, store, data_dir):
    with store.session() as db:
        accounts.setup_token_if_needed(db, data_dir)
    page = client.get("/organizer/setup?token=guessed")
    assert page.status_code == 403 and "set-password" in page.get_data(as_text=True)
    csrf = csrf_of(client.get("/organizer/login"))
    answer = client.post("/organizer/setup", data={"csrf_token": csrf, "token": "guessed",
                                                  "password": PASSWORD, "confirm": PASSWORD})
    assert answer.status_code == 403
    with store.session() as db:
        assert not accounts.has_account(db)


def test_a_first_password_that_is_too_short_is_explained(client, store, data_dir):
    with store.session() as db:
        token = accounts.setup_token_if_needed(db, data_dir)
    page = client.get(f"/organizer/setup?token={token}&lang=en")
    answer = client.post("/organizer/setup", data={"csrf_token": csrf_of(page), "token": token,
                                                  "password": "short", "confirm": "short"})
    assert answer.status_code == 400 and "at least 8 characters" in answer.get_data(as_text=True)
    with store.session() as db:
        assert not accounts.has_account(db)


# --- login --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ORGANIZER_PAGES)
def test_every_organizer_page_sends_a_stranger_to_the_login(client, account, path):
    answer = client.get(path)
    assert answer.status_code == 302 and "/organizer/login" in answer.location


def test_creating_or_renewing_needs_a_login_even_with_a_valid_form_token(client, account, store):
    csrf = csrf_of(client.get("/organizer/login"))
    answer = client.post("/organizer/sessions", data=new_session_form(csrf))
    assert answer.status_code == 302 and "/organizer/login" in answer.location
    assert sessions_in(store) == []


def test_a_wrong_password_is_refused_with_a_clear_message(client, account):
    csrf = csrf_of(client.get("/organizer/login?lang=en"))
    answer = client.post("/organizer/login", data={"csrf_token": csrf, "username": "organizer",
                                                  "password": "not it"})
    assert answer.status_code == 401
    assert "Wrong username or password" in answer.get_data(as_text=True)
    assert client.get("/organizer").status_code == 302


def test_repeated_wrong_passwords_lock_that_address_out_even_for_the_right_one(client, account):
    csrf = csrf_of(client.get("/organizer/login?lang=en"))
    for _ in range(FAILURES_ALLOWED):
        client.post("/organizer/login", data={"csrf_token": csrf, "username": "organizer",
                                              "password": "guess"})
    answer = client.post("/organizer/login", data={"csrf_token": csrf, "username": "organizer",
                                                  "password": PASSWORD})
    assert answer.status_code == 429 and "Too many failed attempts" in answer.get_data(as_text=True)
    assert client.get("/organizer").status_code == 302


def test_logging_out_ends_the_login(organizer):
    answer = organizer.post("/organizer/logout", data={"csrf_token": organizer.csrf})
    assert answer.status_code == 302
    assert organizer.get("/organizer").status_code == 302


def test_a_new_password_logs_out_the_browsers_logged_in_with_the_old_one(organizer, store):
    with store.session() as db:
        accounts.set_password(db, "organizer", "another long password")
    assert organizer.get("/organizer").status_code == 302


def test_the_login_never_sends_the_organizer_to_another_site(client, account):
    csrf = csrf_of(client.get("/organizer/login"))
    answer = client.post("/organizer/login", data={"csrf_token": csrf, "username": "organizer",
                                                  "password": PASSWORD, "next": "//evil.example/x"})
    assert answer.status_code == 302 and answer.location == "/organizer"


# --- CSRF --------------------------------------------------------------------------------

def test_a_form_without_the_csrf_token_is_refused_and_creates_nothing(organizer, store):
    form = new_session_form("")
    del form["csrf_token"]
    answer = organizer.post("/organizer/sessions?lang=en", data=form)
    assert answer.status_code == 400 and "form has expired" in answer.get_data(as_text=True)
    forged = organizer.post("/organizer/sessions", data=new_session_form("forged-token"))
    assert forged.status_code == 400
    assert sessions_in(store) == []


def test_a_login_without_the_csrf_token_is_refused(client, account):
    answer = client.post("/organizer/login", data={"username": "organizer", "password": PASSWORD})
    assert answer.status_code == 400
    assert client.get("/organizer").status_code == 302


def test_the_csrf_check_leaves_the_other_pages_alone(client):
    assert client.post("/healthz").status_code == 405  # routed as usual, not a CSRF refusal


# --- sessions ----------------------------------------------------------------------------

def test_an_organizer_creates_a_session_and_gets_every_link(organizer, store):
    answer = create(organizer, agenda="1.2, 1.1\n2.1", privacy="named", results_mode="live",
                    roles="ผู้บริหาร\nเจ้าหน้าที่", max_iqr="1.5", min_adjacent_percent="80")
    assert answer.status_code == 302
    [session] = sessions_in(store)
    assert session.agenda == ["1.2", "1.1", "2.1"] and session.language == "th"
    assert session.held_on.isoformat() == "2026-11-05"
    assert session.settings == {"anonymous": False, "roles": ["ผู้บริหาร", "เจ้าหน้าที่"],
                                "results_mode": "live",
                                "thresholds": {"max_iqr": 1.5, "min_adjacent_share": 0.8}}
    page = organizer.get(answer.location).get_data(as_text=True)
    base = "http://192.168.1.23"  # never localhost: the LAN address, with the request's port
    assert f'value="{base}/j/{session.join_code}"' in page
    assert f"{base}/facilitate/{session.id}/" in page and f"{base}/projector/{session.id}/" in page
    assert f'src="{base}/qr/{session.join_code}.svg"' in page
    assert session.join_code in page and "localhost" not in page


def test_a_buddhist_era_year_typed_into_the_date_is_converted_not_stored_as_it_is(organizer, store):
    create(organizer, held_on="2569-11-05")
    [session] = sessions_in(store)
    assert session.held_on.isoformat() == "2026-11-05"  # not CE 2569 (printed as BE 3112)


def test_the_new_session_form_offers_pmqa_first(organizer):
    page = organizer.get("/organizer/sessions/new").get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]+)"( selected)?>', page.split('id="framework"')[1]
                         .split("</select>")[0])
    assert offered[0] == ("pmqa-4.0", " selected")
    assert "digital-maturity-5" in [value for value, _ in offered]


def test_an_empty_agenda_means_every_criterion_of_the_framework(organizer, store):
    create(organizer)
    [session] = sessions_in(store)
    assert len(session.agenda) == 30 and session.agenda[0] == "1.1"
    assert session.settings["anonymous"] is True


@pytest.mark.parametrize("field, value, message", [
    ("title", "  ", "A session needs a title"),
    ("agenda", "1.1, 9.9", "Not criteria of this framework: 9.9"),
    ("agenda", "1.1 1.1", "A criterion appears twice: 1.1"),
    ("framework", "no-such-framework", "Choose one of the frameworks offered"),
    ("held_on", "05/11/2026", "Not a date"),
    ("held_on", "3112-11-05", "neither a Buddhist-era year"),
    ("results_mode", "sometimes", "Choose when the room sees the results"),
    ("min_adjacent_percent", "150", "A percentage from 0 to 100"),
    ("roles", "a\na", "A role appears twice"),
])
def test_a_session_with_a_mistake_is_not_created_and_the_mistake_is_shown(organizer, store, field, value, message):
    answer = organizer.post("/organizer/sessions?lang=en",
                            data=new_session_form(organizer.csrf, **{field: value}))
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert message in page and "nothing was created" in page
    assert sessions_in(store) == []


def test_a_broken_organization_framework_file_is_not_offered(organizer, data_dir):
    (data_dir / "frameworks").mkdir()
    (data_dir / "frameworks" / "broken.yaml").write_text("id: broken-fw\nlevels: nope\n", encoding="utf-8")
    page = organizer.get("/organizer/sessions/new").get_data(as_text=True)
    assert 'value="pmqa-4.0"' in page and "broken-fw" not in page


def test_the_new_session_form_offers_roles_in_the_organizers_language(organizer):
    assert "ผู้บริหาร" in organizer.get("/organizer/sessions/new?lang=th").get_data(as_text=True)
    assert "Executive" in organizer.get("/organizer/sessions/new?lang=en").get_data(as_text=True)


def test_a_hostile_title_is_shown_as_text_never_run(organizer, store):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    answer = create(organizer, title=hostile, organization=hostile)
    for page in (organizer.get("/organizer"), organizer.get(answer.location)):
        text = page.get_data(as_text=True)
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert" in text
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_the_dashboard_shows_thai_dates_in_the_buddhist_era(organizer):
    create(organizer, held_on="2026-11-05")
    page = organizer.get("/organizer?lang=th").get_data(as_text=True)
    assert "5 พฤศจิกายน 2569" in page
    assert "5 November 2026" in organizer.get("/organizer?lang=en").get_data(as_text=True)


def test_the_dashboard_counts_participants_and_decisions_in_a_fixed_number_of_queries(organizer, store, app):
    for number in range(3):
        create(organizer, title=f"Session {number}", agenda="1.1, 1.2, 1.3")
    first, second, third = sessions_in(store)
    with store.session() as db:
        db.add_all([Participant(session_id=first.id, token_hash=hash_token(new_token()))
                    for _ in range(4)])
        db.add(Participant(session_id=first.id, token_hash=hash_token(new_token()), observer=True))
        db.add(Participant(session_id=second.id, token_hash=hash_token(new_token())))
        for code in ("1.1", "1.2", "1.2"):  # 1.2 decided twice still counts once
            record_decision(db, session_id=first.id, criterion_code=code, agreed_level=1,
                            target_level=2, importance=3)
        record_decision(db, session_id=second.id, criterion_code="1.3", agreed_level=1,
                        target_level=2, importance=3)
        undo_last_decision(db, second.id)
    statements = []
    engine = store.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        page = organizer.get("/organizer?lang=en").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    session_queries = [s for s in statements if "workshop_sessions" in s]
    assert len(session_queries) == 1
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    counts = {re.search(r"Session \d", row).group(0):
              (re.search(r'class="num">(\d+)<', row).group(1),
               re.search(r"(\d+ of \d+) decided", row).group(1)) for row in rows}
    assert counts == {"Session 0": ("4", "2 of 3"), "Session 1": ("1", "0 of 3"),
                      "Session 2": ("0", "0 of 3")}
    assert third.id in page


def test_renewing_the_links_asks_first_then_retires_the_old_ones(organizer, store):
    answer = create(organizer)
    [session] = sessions_in(store)
    before = organizer.get(answer.location).get_data(as_text=True)
    old = re.search(r'value="(http[^"]*/facilitate/[^"]+)"', before).group(1)
    confirm = organizer.get(f"/organizer/sessions/{session.id}/renew")
    assert confirm.status_code == 200 and "<form" in confirm.get_data(as_text=True)
    assert sessions_in(store)[0].link_nonce == session.link_nonce  # asking changes nothing
    refused = organizer.post(f"/organizer/sessions/{session.id}/renew")
    assert refused.status_code == 400
    done = organizer.post(f"/organizer/sessions/{session.id}/renew",
                          data={"csrf_token": organizer.csrf})
    assert done.status_code == 302
    after = organizer.get(done.location).get_data(as_text=True)
    assert old not in after and f"/facilitate/{session.id}/" in after
    assert f"/j/{session.join_code}" in after  # the join link stays


def test_an_unknown_session_is_not_found(organizer):
    assert organizer.get("/organizer/sessions/nope").status_code == 404


def test_a_configured_public_url_is_used_for_every_link(organizer, app, store):
    from dataclasses import replace
    app.config["WORKSHOP"] = replace(app.config["WORKSHOP"], public_url="https://ws.example.go.th")
    answer = create(organizer)
    page = organizer.get(answer.location).get_data(as_text=True)
    [session] = sessions_in(store)
    assert f'value="https://ws.example.go.th/j/{session.join_code}"' in page


def test_an_organizer_reaching_the_server_by_its_lan_address_gets_that_address(app):
    from workshop.links import LISTEN_HOST, request_base_url
    with app.test_request_context("/organizer", base_url="http://10.1.2.3:5000"):
        assert request_base_url() == "http://10.1.2.3:5000"
    with app.test_request_context("/organizer", base_url="http://localhost:5000"):
        assert request_base_url() == "http://192.168.1.23:5000"
    app.config[LISTEN_HOST] = "127.0.0.1"  # `run --host 127.0.0.1`: no other address answers
    with app.test_request_context("/organizer", base_url="http://localhost:5000"):
        assert request_base_url() == "http://127.0.0.1:5000"
