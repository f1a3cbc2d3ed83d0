"""Control characters are refused where text comes in: phones and the facilitator's page
(Socket.IO), the new-session form, the plan editor and the command line. One rule
(workshop/domain/text.py): line breaks and tabs only in multi-line boxes, no other control
character anywhere; a refusal names the field and changes nothing.
"""
from __future__ import annotations

import pytest

from tests.live_clients import join_key
from tests.organizer_fixtures import logged_in
from workshop.cli_sessions import create_command
from workshop.domain.text import refused_characters, strip_refused
from workshop.services.plan_values import PlanInvalid, clean_value
from workshop.store.models import Decision, Idea, Participant, Vote, WorkshopSession


def _count(app, model, **where):
    with app.extensions["workshop.store"].session() as db:
        return db.query(model).filter_by(**where).count()


def refused(ack: dict, field: str) -> bool:
    """The protocol's `invalid`, naming the field, in the screen's language."""
    return (ack["ok"] is False and ack["error"]["code"] == "invalid"
            and ack["error"]["field"] == field and field in ack["error"]["message"])


@pytest.mark.parametrize("text", ["bell\u0007", "\x1b[2J", "nul\x00", "del\x7f", "\ud800", "\uffff"])
def test_a_phone_cannot_leave_a_control_character_in_an_idea(screens, text):
    facilitator, phone = screens.facilitator(), screens.joined_phone()
    assert facilitator.emit("ideas_phase", {"criterion": "1.1", "open": True}, callback=True)["ok"]
    ack = phone.emit("idea", {"criterion": "1.1", "text": text, "client_key": "k1"}, callback=True)
    assert refused(ack, "text"), ack
    assert _count(screens.app, Idea) == 0
    ok = phone.emit("idea", {"criterion": "1.1", "text": "อบรม\nทุกไตรมาส\tทุกกอง", "client_key": "k2"},
                    callback=True)
    assert ok["ok"] and ok["idea"]["text"] == "อบรม\nทุกไตรมาส\tทุกกอง"  # a multi-line box


def test_a_vote_note_may_hold_line_breaks_but_no_other_control_character(screens):
    round_id = screens.facilitator().emit("open_round", {"criterion": "1.1"}, callback=True)["round"]["id"]
    phone = screens.joined_phone()
    ack = phone.emit("vote", {"round_id": round_id, "level": 2, "note": "ok\x08"}, callback=True)
    assert refused(ack, "note") and _count(screens.app, Vote) == 0
    ack = phone.emit("vote", {"round_id": round_id, "level": 2, "note": "ข้อ 1\nข้อ 2"}, callback=True)
    assert ack["ok"], ack


def test_a_name_or_role_with_a_control_character_joins_nobody(screens):
    phone = screens.phone()
    for join, field in (({"name": "สมชาย\x0b"}, "name"), ({"name": "two\nlines"}, "name"),
                        ({"role": "ผู้บริหาร\x00"}, "role")):
        assert refused(phone.emit("join", {**join, "client_key": join_key()}, callback=True), field)
    assert _count(screens.app, Participant) == 0


def test_the_facilitator_cannot_store_a_control_character_in_a_note_or_a_proxy(screens):
    facilitator = screens.facilitator()
    round_id = facilitator.emit("open_round", {"criterion": "1.1"}, callback=True)["round"]["id"]
    screens.joined_phone().emit("vote", {"round_id": round_id, "level": 1}, callback=True)
    facilitator.emit("close_round", {"round_id": round_id}, callback=True)
    decide = {"criterion": "1.1", "agreed_level": 1, "target_level": 2, "importance": 3,
              "note": "มติที่ประชุม\x1f"}
    assert refused(facilitator.emit("decide", decide, callback=True), "note")
    assert _count(screens.app, Decision) == 0
    assert refused(facilitator.emit("add_proxy", {"name": "ผู้แทน\x7f", "client_key": "proxy-1"}, callback=True), "name")
    assert refused(facilitator.emit("add_proxy", {"name": "ผู้แทน", "role": "\x1b", "client_key": "proxy-2"}, callback=True), "role")
    assert _count(screens.app, Participant, proxy=True) == 0


def test_the_plan_editor_follows_the_same_rule():
    assert clean_value("indicator", "ร้อยละ\nของโครงการ") == "ร้อยละ\nของโครงการ"
    for name, value in (("indicator", "bell\u0007"), ("owner", "กอง\tแผน"), ("owner", "\ud800")):
        with pytest.raises(PlanInvalid) as invalid:
            clean_value(name, value)
        assert (invalid.value.field, invalid.value.reason) == (name, "control_characters")


def test_the_new_session_form_names_the_field_that_holds_a_control_character(client, store):
    organizer = logged_in(client, store)
    form = {"csrf_token": organizer.csrf, "title": "สัมมนา\x07", "organization": "กรม\x1b",
            "framework": "pmqa-4.0", "language": "th", "privacy": "anonymous",
            "roles": "ผู้บริหาร\r\nเจ้าหน้าที่\x00", "results_mode": "hidden", "held_on": "2026-05-09"}
    answer = organizer.post("/organizer/sessions?lang=en", data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert page.count("This text holds characters that cannot be stored.") == 3
    with store.session() as db:
        assert db.query(WorkshopSession).count() == 0


def test_the_command_line_refuses_a_title_with_a_control_character(runner):
    result = runner.invoke(create_command, ["--framework", "pmqa-4.0", "--title", "สัมมนา\x07"])
    assert result.exit_code != 0 and "title" in result.output
    assert "control characters" in result.output and "U+0007" in result.output


def test_the_rule_keeps_thai_and_its_invisible_spaces():
    thai = "ส่วนราชการ\u200bมีแผน ฯ ๒๕๖๙"  # zero-width space: Thai line-break hint
    assert refused_characters(thai) == [] and strip_refused(thai) == thai
    assert refused_characters("a\tb\nc", multiline=True) == []
    assert refused_characters("a\tb\nc") == ["\t", "\n"]
    assert strip_refused("bell\u0007 \x1b[0m\ufffe") == "bell [0m"


def test_the_organizer_account_name_follows_the_same_rule(client, store, data_dir, runner):
    from tests.test_dashboard import PASSWORD, csrf_of
    from workshop.cli import main
    from workshop.services import accounts
    with store.session() as db:
        token = accounts.setup_token_if_needed(db, data_dir)
    page = client.get(f"/organizer/setup?token={token}&lang=en")
    answer = client.post("/organizer/setup?lang=en", data={
        "csrf_token": csrf_of(page), "token": token, "username": "somchai\x07",
        "password": PASSWORD, "confirm": PASSWORD})
    assert answer.status_code == 400
    assert "This text holds characters that cannot be stored." in answer.get_data(as_text=True)
    result = runner.invoke(main, ["set-password", "--username", "somchai\x1b"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 1 and "U+001B" in result.output
    with store.session() as db:
        assert not accounts.has_account(db)


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"field": "owner", "value": "x", "version": ' + b"7" * 5000 + b"}",
    b'{"field": "owner", "value": "x", "version": NaN}',
])
def test_the_plan_editor_refuses_a_body_built_to_choke_the_parser(client, store, body):
    from tests.workshop_data import make_workshop
    organizer = logged_in(client, store)
    workshop = make_workshop(store)
    plan = organizer.get(f"/organizer/sessions/{workshop.session_id}/plan/data").json["plan"]
    url = f"/organizer/sessions/{workshop.session_id}/plan/items/{plan['items'][0]['id']}"
    answer = organizer.patch(url, data=body, content_type="application/json",
                             headers={"X-CSRF-Token": organizer.csrf})
    assert answer.status_code == 400 and answer.json["error"]["reason"] == "not_json"
    again = organizer.get(f"/organizer/sessions/{workshop.session_id}/plan/data").json["plan"]
    assert again == plan
