"""The explain step keeps voting blind: it opens only on a revealed round, so neither phones nor
a hidden-mode projector learn anything derived from the votes (band, reasons with levels,
counts) before the reveal; and the band is never taken from another session's round."""
from __future__ import annotations

import pytest

from tests.live_fixtures import received
from workshop import catalog
from workshop.services import rounds, sessions, voting
from workshop.services.participants import join
from workshop.services.sessions import SessionSettings
from workshop.store.models import WorkshopSession

DERIVED = {"counts", "not_sure", "summary", "band", "level", "results"}


def _derived_from_votes(value, path=()):
    """Every place in an event payload that carries something derived from the votes."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in DERIVED and inner not in (None, [], {}):
                found.append(path + (key,))
            found += _derived_from_votes(inner, path + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _derived_from_votes(inner, path + (index,))
    return found


def _split_room(screens):
    """Three phones vote 0, 1, 3 in an open round of 1.1 that the facilitator then closes."""
    facilitator = screens.facilitator()
    round_id = facilitator.emit("open_round", {"criterion": "1.1"}, callback=True)["round"]["id"]
    phones = [screens.joined_phone() for _ in range(3)]
    for phone, level in zip(phones, (0, 1, 3)):
        assert phone.emit("vote", {"round_id": round_id, "level": level}, callback=True)["ok"]
    assert facilitator.emit("close_round", {"round_id": round_id}, callback=True)["ok"]
    return facilitator, phones, round_id


def test_explain_on_a_closed_round_before_its_reveal_is_refused_and_nothing_leaks(screens):
    projector = screens.projector()
    facilitator, phones, round_id = _split_room(screens)
    for screen in [projector, *phones]:
        screen.get_received()  # forget what came before the close
    ack = facilitator.emit("explain", {"round_id": round_id, "open": True}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "round_not_revealed", ack
    assert ack["error"]["message"] == "Reveal the round first."
    refused = phones[0].emit("reason", {"round_id": round_id, "text": "why"}, callback=True)
    assert refused["error"]["code"] == "explain_closed"
    screens.flush()
    late_phone = screens.phone()
    for screen in [projector, *phones, late_phone]:
        events = screen.get_received()
        assert all(item["name"] != "reasons" for item in events)
        leaks = [(item["name"], where) for item in events for where in _derived_from_votes(item["args"])]
        assert leaks == [], leaks


def test_after_the_reveal_the_outliers_are_invited_and_the_projector_hears_why(screens):
    projector = screens.projector()
    facilitator, phones, round_id = _split_room(screens)
    assert facilitator.emit("reveal", {"round_id": round_id}, callback=True)["ok"]
    step = facilitator.emit("explain", {"round_id": round_id, "open": True}, callback=True)["explain"]
    assert step == {"round_id": round_id, "band": [0.5, 2.0]}
    assert received(phones[0], "stage")[-1]["explain"] == step
    assert phones[2].emit("reason", {"round_id": round_id, "text": "we measure it"}, callback=True)["ok"]
    screens.flush()
    assert received(projector, "reasons")[-1]["items"] == [{"level": 3, "text": "we measure it"}]


def test_an_explain_step_stored_on_an_unrevealed_round_is_not_shown(screens, live_app):
    """An older archive may name a closed round as the explain round: no band from it."""
    facilitator, phones, round_id = _split_room(screens)
    with live_app.extensions["workshop.store"].session() as db:
        db.get(WorkshopSession, screens.session["id"]).explain_round_id = round_id
    for screen in (screens.phone(token=phones[0].token), screens.projector()):
        assert received(screen, "snapshot")[-1]["stage"]["explain"] is None
    refused = phones[2].emit("reason", {"round_id": round_id, "text": "why"}, callback=True)
    assert refused["error"]["code"] == "explain_closed"


def _explained_band(store, levels):
    """A new session whose first round got `levels`, revealed, explained; its round id and band."""
    with store.session() as db:
        session = sessions.create_session(db, catalog.get_framework("pmqa-4.0"),
                                          SessionSettings(title="t", agenda=("1.1",)))
        opened = rounds.open_round(db, session, "1.1")
        for index, level in enumerate(levels):
            voter = join(db, session, client_key=f"a phone's join key {index}",
                         secret_key="a test secret").participant
            voting.cast_vote(db, session.id, voter.id, round_id=opened.id, level=level)
        rounds.close_round(db, session, opened.id)
        rounds.reveal(db, session, opened.id)
        return session.id, opened.id, rounds.explain(db, session, opened.id, True)["band"]


def test_a_deleted_sessions_band_never_reaches_the_session_that_reuses_its_round_id(store):
    old_session, old_round, old_band = _explained_band(store, [0, 0, 0])
    with store.session() as db:
        assert sessions.delete_session(db, old_session)
    _, new_round, new_band = _explained_band(store, [3, 3, 3])
    assert new_round == old_round  # SQLite reused the id: the case that went stale
    assert old_band == [0.0, 0.0] and new_band == [3.0, 3.0]


@pytest.mark.browser
def test_the_control_page_offers_explain_only_once_the_round_is_revealed(browser, live_server):
    from playwright.sync_api import expect

    from tests.browsers import WAIT_MS
    from tests.helpers import make_session

    session = make_session(live_server.data_dir, live_server.url)
    page = browser.new_page(locale="en-US", viewport={"width": 1440, "height": 1000})
    page.goto(session["facilitator"])
    explain = page.locator("[data-action=explain]")
    expect(page.locator(".crit-code").first).to_have_text("1.1", timeout=WAIT_MS)
    page.keyboard.press("o")
    expect(page.locator("[data-action=close]")).to_be_enabled(timeout=WAIT_MS)
    page.keyboard.press("c")
    expect(page.locator("[data-action=reveal]")).to_be_enabled(timeout=WAIT_MS)
    expect(explain).to_be_disabled()
    page.keyboard.press("e")  # the shortcut does nothing either
    page.keyboard.press("r")
    expect(explain).to_be_enabled(timeout=WAIT_MS)
    expect(page.locator("#action-error")).to_have_text("")


def test_a_round_decided_before_its_reveal_tells_the_projector_nothing_derived_from_its_votes(screens):
    """A facilitator may decide a closed round without revealing it: the projector (and a
    projector that reconnects) hears the room's decision, not the level proposed from the votes."""
    facilitator, _, _ = _split_room(screens)
    projector = screens.projector()
    projector.get_received()
    decide = {"criterion": "1.1", "agreed_level": 2, "target_level": 3, "importance": 3,
              "note": "ตามหลักฐานที่ทบทวน"}
    ack = facilitator.emit("decide", decide, callback=True)
    assert ack["ok"], ack
    assert ack["decision"]["proposed_level"] is not None  # the facilitator's own view
    heard = received(projector, "decision")
    assert heard and heard[-1]["decision"]["agreed_level"] == 2
    assert not {"proposed_level", "checklist"} & set(heard[-1]["decision"])
    again = screens.projector()
    snapshot = received(again, "snapshot")[-1]
    assert not {"proposed_level", "checklist"} & set(snapshot["decisions"]["1.1"])
