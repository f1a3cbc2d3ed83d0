"""The coalesced updates of several sessions: one session that fails to flush keeps its marks
for the next flush (a bounded number of times) and never costs another session its tally."""
from __future__ import annotations

from tests.helpers import make_session
from tests.live_fixtures import Screens, last
from workshop.live import broadcast, live_state


def _voted_in_another_room(screens, data_dir):
    """A second session with a phone that voted; both sessions have a pending tally."""
    other = Screens(screens.app, make_session(data_dir, agenda=("1.1",)))
    theirs = other.facilitator()
    round_id = theirs.emit("open_round", {"criterion": "1.1"}, callback=True)["round"]["id"]
    assert other.joined_phone().emit("vote", {"round_id": round_id, "level": 2}, callback=True)["ok"]
    return other, theirs


def _break_session(monkeypatch, session_id):
    real = broadcast.lookups.session_row

    def session_row(db, wanted, **kwargs):
        if wanted == session_id:
            raise RuntimeError("this session's flush fails")
        return real(db, wanted, **kwargs)
    monkeypatch.setattr(broadcast.lookups, "session_row", session_row)


def _flush_by_hand(screens):
    """Only the test flushes: the background task would race it for the marks."""
    live_state(screens.app).broadcaster.stop()


def test_a_failing_session_does_not_drop_the_tally_of_the_others(screens, data_dir, monkeypatch):
    _flush_by_hand(screens)
    mine = screens.facilitator()
    screens.joined_phone()  # my session is dirty first: it comes first in the batch
    other, theirs = _voted_in_another_room(screens, data_dir)
    mine.get_received()
    theirs.get_received()
    _break_session(monkeypatch, screens.session["id"])
    assert screens.flush() == 1
    assert last(theirs, "tally")["voted"] == 1
    assert last(mine, "tally") is None
    monkeypatch.undo()
    assert screens.flush() == 1  # my marks were kept for the next flush
    assert last(mine, "tally")["present"] == 1
    other.close()


def test_a_session_that_always_fails_is_given_up_after_a_bounded_number_of_flushes(screens, monkeypatch):
    _flush_by_hand(screens)
    mine = screens.facilitator()
    screens.joined_phone()
    mine.get_received()
    _break_session(monkeypatch, screens.session["id"])
    for _ in range(broadcast.ATTEMPTS):
        assert screens.flush() == 0
    monkeypatch.undo()
    assert screens.flush() == 0  # nothing left pending: the marks were dropped
    assert last(mine, "tally") is None
    screens.joined_phone()  # a new mark is flushed as usual
    assert screens.flush() == 1 and last(mine, "tally")["present"] == 2
