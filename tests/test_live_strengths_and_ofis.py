"""Strengths and OFIs in the room: phones add them beside ideas while the ideas phase is open,
the room upvotes them, the facilitator adds, keeps, edits and merges them; every step is safe
to send twice and bad input changes nothing."""
from __future__ import annotations

import pytest

from tests.live_fixtures import last, received
from workshop.store.models import Idea, IdeaUpvote


def _count(app, model, **where):
    with app.extensions["workshop.store"].session() as db:
        return db.query(model).filter_by(**where).count()


def _open_ideas(facilitator, criterion="1.1"):
    assert facilitator.emit("ideas_phase", {"criterion": criterion, "open": True}, callback=True)["ok"]


def _add(phone, kind, text, key):
    ack = phone.emit("idea", {"criterion": "1.1", "kind": kind, "text": text, "client_key": key},
                     callback=True)
    assert ack["ok"], ack
    return ack["idea"]


def test_a_phone_adds_a_strength_and_an_ofi_that_the_room_sees_and_upvotes(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    author, fan = screens.joined_phone(), screens.joined_phone()
    _open_ideas(facilitator)
    strength = _add(author, "strength", "ผู้บริหารให้ความสำคัญ", "s1")
    ofi = _add(author, "ofi", "ยังไม่มีการทบทวนแผนอย่างเป็นระบบ", "o1")
    assert (strength["kind"], ofi["kind"], strength["kept"]) == ("strength", "ofi", False)
    assert _add(author, "ofi", "ยังไม่มีการทบทวนแผนอย่างเป็นระบบ", "o1")["id"] == ofi["id"]
    assert fan.emit("upvote", {"idea_id": ofi["id"], "on": True}, callback=True)["idea"]["upvotes"] == 1
    screens.flush()
    # batches are coalesced, but a loaded machine may flush between the adds: merge them all
    seen = {item["id"]: item for batch in received(projector, "ideas") for item in batch["items"]}
    assert seen[ofi["id"]]["kind"] == "ofi" and seen[ofi["id"]]["upvotes"] == 1
    assert seen[strength["id"]]["kind"] == "strength"
    assert _count(screens.app, Idea, kind="ofi") == 1 and _count(screens.app, Idea, kind="strength") == 1


def test_strengths_and_ofis_wait_for_the_ideas_phase_like_ideas(screens):
    screens.facilitator()
    phone = screens.joined_phone()
    ack = phone.emit("idea", {"criterion": "1.1", "kind": "ofi", "text": "x", "client_key": "k"},
                     callback=True)
    assert ack["error"]["code"] == "ideas_closed"
    assert _count(screens.app, Idea) == 0


@pytest.mark.parametrize("payload, field", [
    ({"criterion": "1.1", "kind": "weakness", "text": "x", "client_key": "k"}, "kind"),
    ({"criterion": "1.1", "kind": 3, "text": "x", "client_key": "k"}, "kind"),
    ({"criterion": "1.1", "kind": "ofi", "text": "x" * 281, "client_key": "k"}, "text"),
    ({"criterion": "1.1", "kind": "ofi", "text": "a\x07b", "client_key": "k"}, "text"),
    ({"criterion": "1.1", "kind": "ofi", "text": "   ", "client_key": "k"}, "text"),
])
def test_a_bad_strength_or_ofi_is_refused_naming_its_field(screens, payload, field):
    _open_ideas(screens.facilitator())
    ack = screens.joined_phone().emit("idea", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid" and ack["error"]["field"] == field, ack
    assert _count(screens.app, Idea) == 0


def test_the_facilitator_adds_an_ofi_for_the_room_kept_at_once_and_only_once(screens):
    facilitator, phone = screens.facilitator(), screens.joined_phone()
    payload = {"criterion": "1.1", "kind": "ofi", "text": "ควรกำหนดตัวชี้วัดระดับกอง", "client_key": "f1"}
    first = facilitator.emit("add_idea", payload, callback=True)
    again = facilitator.emit("add_idea", payload, callback=True)
    assert first["ok"] and first["idea"]["kept"] is True and again["idea"]["id"] == first["idea"]["id"]
    assert _count(screens.app, Idea) == 1
    assert phone.emit("add_idea", payload, callback=True)["error"]["code"] == "forbidden"
    unknown = facilitator.emit("add_idea", {**payload, "criterion": "9.9", "client_key": "f2"}, callback=True)
    assert unknown["error"]["code"] == "not_found" and _count(screens.app, Idea) == 1


def test_the_facilitator_keeps_and_edits_an_ofi_and_the_room_sees_the_new_words(screens):
    facilitator, projector, phone = screens.facilitator(), screens.projector(), screens.joined_phone()
    _open_ideas(facilitator)
    ofi = _add(phone, "ofi", "ไม่มีแผน", "o1")
    for _ in range(2):  # a resent step changes nothing more
        assert facilitator.emit("keep_idea", {"idea_id": ofi["id"], "kept": True}, callback=True)["idea"]["kept"]
        edited = facilitator.emit("edit_idea", {"idea_id": ofi["id"], "text": "ยังไม่มีแผนบริหารความเสี่ยง"},
                                  callback=True)
        assert edited["idea"]["text"] == "ยังไม่มีแผนบริหารความเสี่ยง"
    screens.flush()
    shown = last(projector, "ideas")["items"][0]
    assert shown["text"] == "ยังไม่มีแผนบริหารความเสี่ยง" and shown["kept"] is True
    refused = facilitator.emit("edit_idea", {"idea_id": ofi["id"], "text": ""}, callback=True)
    assert refused["error"]["code"] == "invalid"
    assert facilitator.emit("keep_idea", {"idea_id": 999, "kept": True}, callback=True)["error"]["code"] == "not_found"
    assert phone.emit("keep_idea", {"idea_id": ofi["id"], "kept": False}, callback=True)["error"]["code"] == "forbidden"


def test_merged_ofis_count_each_supporter_once_and_a_resent_merge_changes_nothing(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    a, b, c, d = (screens.joined_phone() for _ in range(4))
    _open_ideas(facilitator)
    kept = _add(a, "ofi", "ไม่มีการทบทวนแผน", "o1")
    copy = _add(b, "ofi", "แผนไม่ถูกทบทวน", "o2")
    for voter in (c, d):  # c upvotes both: counted once after the merge
        voter.emit("upvote", {"idea_id": kept["id"], "on": True}, callback=True)
    c.emit("upvote", {"idea_id": copy["id"], "on": True}, callback=True)
    a.emit("upvote", {"idea_id": copy["id"], "on": True}, callback=True)  # the kept one's own author
    merge = {"into": kept["id"], "ideas": [copy["id"]]}
    first = facilitator.emit("merge_ideas", merge, callback=True)
    again = facilitator.emit("merge_ideas", merge, callback=True)
    assert first["ok"] and first["merged"] == [copy["id"]]
    assert first["idea"]["upvotes"] == again["idea"]["upvotes"] == 3  # c, d and b (who wrote the copy)
    assert _count(screens.app, IdeaUpvote, idea_id=kept["id"]) == 3
    screens.flush()
    shown = {item["id"]: item for item in last(projector, "ideas")["items"]}
    assert shown[copy["id"]] == {"id": copy["id"], "criterion": "1.1", "text": "", "upvotes": 2, "hidden": True}
    assert shown[kept["id"]]["upvotes"] == 3
    assert b.emit("upvote", {"idea_id": copy["id"], "on": True}, callback=True)["error"]["code"] == "not_found"
    unhide = facilitator.emit("hide_idea", {"idea_id": copy["id"], "hidden": False}, callback=True)
    assert unhide["error"]["code"] == "invalid"


@pytest.mark.parametrize("merge_of", ["itself", "a strength", "a merged target"])
def test_a_merge_that_makes_no_sense_is_refused_and_changes_nothing(screens, merge_of):
    facilitator = screens.facilitator()
    a, b = screens.joined_phone(), screens.joined_phone()
    _open_ideas(facilitator)
    one, two = _add(a, "ofi", "หนึ่ง", "o1"), _add(b, "ofi", "สอง", "o2")
    strength = _add(b, "strength", "จุดแข็ง", "s1")
    if merge_of == "itself":
        payload = {"into": one["id"], "ideas": [one["id"]]}
    elif merge_of == "a strength":
        payload = {"into": one["id"], "ideas": [strength["id"]]}
    else:
        assert facilitator.emit("merge_ideas", {"into": two["id"], "ideas": [one["id"]]}, callback=True)["ok"]
        payload = {"into": one["id"], "ideas": [two["id"]]}
    before = _count(screens.app, IdeaUpvote), _count(screens.app, Idea, hidden=True)
    ack = facilitator.emit("merge_ideas", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid", ack
    assert (_count(screens.app, IdeaUpvote), _count(screens.app, Idea, hidden=True)) == before
