"""The stage every phone of a session shares is built once and reused (workshop/live/
stage_cache.py): a phone that joins after the facilitator's step sees the new stage, a kept stage
never carries a round's votes before the reveal, and several workers on one Redis drop theirs
when a step is taken on any of them."""
from __future__ import annotations

from datetime import timedelta

import redis

from tests.blind import derived_keys
from tests.live_fixtures import received
from workshop.live import live_state
from workshop.live.stage_cache import RedisVersions, StageCache


def _ok(client, event, payload):
    ack = client.emit(event, payload, callback=True)
    assert ack["ok"], (event, ack)
    return ack


def _joined_stage(screens) -> dict:
    phone = screens.joined_phone()
    return received(phone, "snapshot")[-1]["stage"]


def test_a_phone_joining_after_each_step_of_the_facilitator_sees_that_step(screens):
    facilitator = screens.facilitator()
    assert _joined_stage(screens)["round"] is None  # kept now: the stage before any round
    opened = _ok(facilitator, "open_round", {"criterion": "1.1"})["round"]
    assert _joined_stage(screens)["round"] == {**opened, "state": "open"}
    _ok(facilitator, "close_round", {"round_id": opened["id"]})
    assert _joined_stage(screens)["round"]["state"] == "closed"
    _ok(facilitator, "reveal", {"round_id": opened["id"]})
    assert _joined_stage(screens)["round"]["state"] == "revealed"
    _ok(facilitator, "ideas_phase", {"criterion": "1.1", "open": True})
    assert _joined_stage(screens)["ideas_open"] is True
    _ok(facilitator, "timer", {"criterion": "1.1", "running": True})
    assert _joined_stage(screens)["timer"] is not None
    _ok(facilitator, "goto", {"criterion": "1.2"})
    stage = _joined_stage(screens)
    assert stage["criterion"]["code"] == "1.2" and stage["round"] is None and stage["timer"] is None


def test_the_phones_of_a_session_share_one_built_stage(screens, live_app, monkeypatch):
    from workshop.services import views
    built = []
    real = views.phone_stage
    monkeypatch.setattr(views, "phone_stage", lambda db, session: built.append(1) or real(db, session))
    _ok(screens.facilitator(), "open_round", {"criterion": "1.1"})
    phones = [screens.joined_phone() for _ in range(5)]
    back = screens.phone(token=phones[0].token)
    assert received(back, "snapshot")[0]["stage"]["round"]["state"] == "open"
    assert len(built) == 1, built


def test_a_kept_stage_never_carries_a_rounds_votes_before_the_reveal(screens):
    facilitator = screens.facilitator()
    opened = _ok(facilitator, "open_round", {"criterion": "1.1"})["round"]
    voters = [screens.joined_phone() for _ in range(4)]  # the first of them built the kept stage
    for level, phone in zip((0, 1, 1, 3), voters):
        _ok(phone, "vote", {"round_id": opened["id"], "level": level})
    late = screens.joined_phone()
    snapshot = received(late, "snapshot")[-1]
    assert snapshot["stage"]["results"] is None and derived_keys(snapshot) == set(), snapshot
    back = screens.phone(token=voters[1].token)  # a voter's reconnect: its own vote, no figures
    again = received(back, "snapshot")[-1]
    assert again["my_vote"]["level"] == 1 and derived_keys(again["stage"]) == set()
    _ok(facilitator, "close_round", {"round_id": opened["id"]})
    assert derived_keys(received(screens.joined_phone(), "snapshot")[-1]) == set()
    _ok(facilitator, "reveal", {"round_id": opened["id"]})
    shown = received(screens.joined_phone(), "snapshot")[-1]["stage"]["results"]
    assert shown["counts"] == {"0": 1, "1": 2, "2": 0, "3": 1}


def test_a_running_timer_counts_its_seconds_when_a_phone_joins_not_when_it_was_kept(screens, monkeypatch):
    from workshop.services import timer
    _ok(screens.facilitator(), "timer", {"criterion": "1.1", "running": True})
    now = timer.utcnow()
    monkeypatch.setattr(timer, "utcnow", lambda: now)
    first = _joined_stage(screens)["timer"]  # kept from here
    monkeypatch.setattr(timer, "utcnow", lambda: now + timedelta(seconds=100))
    later = _joined_stage(screens)["timer"]
    assert later["started_at"] == first["started_at"]
    assert later["elapsed"] == first["elapsed"] + 100


def _worker(url) -> StageCache:
    return StageCache(RedisVersions(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)))


def test_a_step_on_one_worker_makes_every_worker_build_the_stage_again(redis_server):
    a, b = _worker(redis_server.url), _worker(redis_server.url)
    assert a.get("S", lambda: "before") == "before"
    assert b.get("S", lambda: "before") == "before"
    assert b.get("S", lambda: "not rebuilt") == "before"
    a.changed("S")  # the facilitator's step, committed on worker a
    assert b.get("S", lambda: "after") == "after"
    assert a.get("S", lambda: "after") == "after"
    assert a.get("T", lambda: "another session") == "another session"


def test_a_stage_is_not_kept_under_a_version_newer_than_what_it_was_built_from(redis_server):
    """A join that read the stage before a step and finished after it keeps it under the old
    version: the next phone gets it built again."""
    a = _worker(redis_server.url)

    def built_while_the_step_commits():
        a.changed("S")
        return "before the step"
    assert a.get("S", built_while_the_step_commits) == "before the step"
    assert a.get("S", lambda: "after the step") == "after the step"


def test_with_redis_down_a_phone_still_gets_a_fresh_stage(redis_server):
    a = _worker(redis_server.url)
    assert a.get("S", lambda: "kept") == "kept"
    redis_server.stop()
    try:
        assert a.get("S", lambda: "fresh") == "fresh"
        a.changed("S")  # logged, not raised: the step itself went through
    finally:
        redis_server.start()
    assert a.get("S", lambda: "after") == "after"


def test_a_phone_reconnecting_after_the_server_restarted_reads_no_more_than_a_join(screens, live_app):
    """A restart empties the kept stages: the first phone back builds it, the others reuse it."""
    from tests.test_light_joins import _statements
    _ok(screens.facilitator(), "open_round", {"criterion": "1.1"})
    phones = [screens.joined_phone() for _ in range(3)]
    with _statements(live_app) as joining:
        screens.joined_phone()
    live_state(live_app).stage_cache._entries.clear()  # what a restart leaves
    counts = []
    for phone in phones:
        with _statements(live_app) as seen:
            back = screens.phone(token=phone.token)
        assert received(back, "snapshot")[0]["me"]["id"] == phone.me["id"]
        counts.append(len(seen))
    assert counts[1] <= len(joining) and counts[2] <= len(joining), (counts, len(joining))
    assert counts[0] <= len(joining) + 2, counts  # the first one back builds the stage: 2 reads
