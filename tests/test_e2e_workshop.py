"""A whole workshop against the real server process (`python -m workshop run`, gevent), driven
by 30 python-socketio phones, a facilitator and a projector, with a second session running at
the same time. Every acknowledgement and snapshot is checked against what the test sent; the
figures of a revealed round against ones worked out from the votes sent (tests/agreement.py)."""
from __future__ import annotations

import asyncio
import math

import pytest
import socketio

from tests.agreement import expected_summary, rounded
from tests.helpers import make_session
from tests.live_clients import Screen, join_key, phone_auth, screen_auth
from tests.servers import start_server

SCALE = [0, 1, 2, 3]


async def _vote_all(phones, round_id, levels):
    async def vote(phone, level):
        payload = {"round_id": round_id, "not_sure": True} if level is None else {"round_id": round_id, "level": level}
        ack = await phone.ok("vote", payload)
        assert ack["vote"] == {"round_id": round_id, "level": level, "not_sure": level is None, "note": None}
    await asyncio.gather(*(vote(phone, level) for phone, level in zip(phones, levels)))


def _counts_of(levels):
    return {str(level): levels.count(level) for level in SCALE}


async def _workshop(server, a, b):
    facilitator = Screen(server.url, screen_auth(a, "facilitator"))
    projector = Screen(server.url, screen_auth(a, "projector"))
    f_view, p_view = await facilitator.connect(), await projector.connect()
    assert f_view["role"] == "facilitator" and f_view["stage"]["round"] is None
    assert p_view["join"]["code"] == a["join_code"] and "proxies" not in p_view

    intruder = Screen(server.url, {**screen_auth(a, "facilitator"), "key": a["projector_key"]})
    with pytest.raises(socketio.exceptions.ConnectionError):
        await intruder.connect()
    assert intruder.refusal["code"] == "forbidden", intruder.refusal

    phones = [Screen(server.url, phone_auth(a)) for _ in range(30)]
    snapshots = await asyncio.gather(*(phone.connect() for phone in phones))
    assert all(view["me"] is None and "presence" not in view for view in snapshots)

    async def join(phone, index):
        ack = await phone.ok("join", {"name": f"คน {index}", "role": "staff", "client_key": join_key()})
        phone.token, phone.me = ack["token"], ack["me"]
        assert ack["me"]["name"] is None and ack["me"]["role"] == "staff"  # anonymous session
    await asyncio.gather(*(join(phone, i) for i, phone in enumerate(phones)))
    assert len({phone.me["id"] for phone in phones}) == 30

    # Session B runs at the same time with its own facilitator and two phones.
    b_facilitator = Screen(server.url, screen_auth(b, "facilitator"))
    await b_facilitator.connect()
    b_phones = [Screen(server.url, phone_auth(b)) for _ in range(2)]
    for phone in b_phones:
        await phone.connect()
        phone.token = (await phone.ok("join", {"client_key": join_key()}))["token"]
    b_round = (await b_facilitator.ok("open_round", {"criterion": "1.1"}))["round"]["id"]
    await _vote_all(b_phones, b_round, [3, 3])

    # Round 1: everybody votes, changes their mind, three are not sure.
    r1 = (await facilitator.ok("open_round", {"criterion": "1.1"}))["round"]
    assert r1["number"] == 1 and r1["state"] == "open"
    await asyncio.gather(*(phone.wait_for("stage", lambda s: s["round"] and s["round"]["id"] == r1["id"])
                           for phone in phones))
    assert all(phone.last("stage")["results"] is None for phone in phones)
    first = [i % 4 for i in range(30)]
    final = [0] * 3 + [1] * 8 + [2] * 12 + [3] * 4 + [None] * 3
    await _vote_all(phones, r1["id"], first)
    await _vote_all(phones, r1["id"], final)
    tally = await facilitator.wait_for("tally", lambda t: t["round_id"] == r1["id"] and t["voted"] == 30
                                       and t.get("counts") == _counts_of(final))
    assert tally["present"] == 30 and tally["not_sure"] == 3 and tally["summary"]["median"] == 2
    blind = await projector.wait_for("tally", lambda t: t["round_id"] == r1["id"] and t["voted"] == 30)
    assert set(blind) == {"round_id", "voted", "present"} and blind["present"] == 30
    assert all(phone.last("tally") is None for phone in phones)

    # A phone that sleeps comes back with its token as the same participant, with its vote.
    sleeper = phones[20]
    view = await sleeper.reconnect()
    assert view["me"]["id"] == sleeper.me["id"] and view["my_vote"]["level"] == final[20] == 2
    assert view["stage"]["round"]["id"] == r1["id"] and view["stage"]["results"] is None
    await sleeper.ok("vote", {"round_id": r1["id"], "level": 2})
    await facilitator.wait_for("tally", lambda t: t["present"] == 30 and t["voted"] == 30)

    await facilitator.refused("reveal", {"round_id": r1["id"]}, "round_not_closed")
    await phones[0].refused("close_round", {"round_id": r1["id"]}, "forbidden")
    await facilitator.ok("close_round", {"round_id": r1["id"]})
    await phones[0].refused("vote", {"round_id": r1["id"], "level": 3}, "round_not_open")
    revealed = await facilitator.ok("reveal", {"round_id": r1["id"]})
    expected = expected_summary(final, SCALE)
    assert revealed["results"]["counts"] == _counts_of(final)
    assert rounded(revealed["results"]["summary"]) == rounded(expected)
    # 27 levels voted: Q1 = 1, median = 2, Q3 = 2; 20 of 27 on the pair 1-2, short of 75 %.
    assert (expected["q1"], expected["median"], expected["q3"]) == (1.0, 2.0, 2.0)
    assert revealed["results"]["summary"]["consensus_reached"] is False
    for screen in (projector, *phones):
        stage = await screen.wait_for("stage", lambda s: s["round"]["state"] == "revealed")
        assert stage["results"]["counts"] == _counts_of(final) and stage["results"]["summary"]["median"] == 2

    # Explain: Q1 = 1, Q3 = 2; the 0s and 3s may say why, the others may not.
    step = (await facilitator.ok("explain", {"round_id": r1["id"], "open": True}))["explain"]
    assert step == {"round_id": r1["id"], "band": [1.0, 2.0]} == {"round_id": r1["id"], "band": [expected["q1"], expected["q3"]]}
    for index in range(27):
        payload = {"round_id": r1["id"], "text": f"เหตุผล {index}"}
        if final[index] in (0, 3):
            await phones[index].ok("reason", payload)
        else:
            await phones[index].refused("reason", payload, "not_an_outlier")
    reasons = await projector.wait_for("reasons", lambda r: len(r["items"]) == 7)
    assert sorted(item["level"] for item in reasons["items"]) == [0, 0, 0, 3, 3, 3, 3]
    assert all(set(item) == {"level", "text"} for item in reasons["items"])

    # Re-vote: a split room; the previous round stays beside it.
    r2 = (await facilitator.ok("open_round", {"criterion": "1.1"}))["round"]
    assert r2["number"] == 2
    again = [1] * 15 + [2] * 15
    await _vote_all(phones, r2["id"], again)
    await facilitator.ok("close_round", {"round_id": r2["id"]})
    await facilitator.ok("reveal", {"round_id": r2["id"]})
    stage = await projector.wait_for("stage", lambda s: s["round"]["id"] == r2["id"] and s["round"]["state"] == "revealed")
    assert stage["previous"]["round"]["id"] == r1["id"] and stage["previous"]["counts"] == _counts_of(final)
    assert rounded(stage["results"]["summary"]) == rounded(expected_summary(again, SCALE))
    assert stage["results"]["summary"]["median"] == 1.5

    # Decide: the split proposes the lower level; another level needs a note; undo.
    decision = {"criterion": "1.1", "agreed_level": 2, "target_level": 3, "importance": 4}
    await facilitator.refused("decide", decision, "note_required")
    decided = (await facilitator.ok("decide", {**decision, "agreed_level": 1}))["decision"]
    assert decided["proposed_level"] == math.floor(1.5) == 1 and decided["agreed_level"] == 1
    await projector.wait_for("decision", lambda d: d["decision"] and d["decision"]["agreed_level"] == 1)
    overridden = (await facilitator.ok("decide", {**decision, "note": "มีหลักฐานเพิ่ม"}))["decision"]
    assert overridden["agreed_level"] == 2 and overridden["note"] == "มีหลักฐานเพิ่ม"
    undone = await facilitator.ok("undo_decision", {"decision_id": overridden["id"]})
    assert undone["decision"]["agreed_level"] == 1
    await projector.wait_for("decision", lambda d: d["decision"] and d["decision"]["agreed_level"] == 1
                             and d["decision"]["decided_at"] == decided["decided_at"])

    # Ideas and upvotes.
    await phones[0].refused("idea", {"criterion": "1.1", "text": "x", "client_key": "k"}, "ideas_closed")
    await facilitator.ok("ideas_phase", {"criterion": "1.1", "open": True})
    ideas = []
    for index in range(3):
        ack = await phones[index].ok("idea", {"criterion": "1.1", "text": f"ไอเดีย {index}", "client_key": "k1"})
        resent = await phones[index].ok("idea", {"criterion": "1.1", "text": f"ไอเดีย {index}", "client_key": "k1"})
        assert ack["idea"]["mine"] and resent["idea"]["id"] == ack["idea"]["id"]
        ideas.append(ack["idea"]["id"])
    await phones[0].refused("upvote", {"idea_id": ideas[0], "on": True}, "invalid")
    await asyncio.gather(*(phone.ok("upvote", {"idea_id": ideas[0], "on": True}) for phone in phones[3:13]))
    await phones[3].ok("upvote", {"idea_id": ideas[0], "on": True})  # resent: counted once
    shown = await projector.wait_for("ideas", lambda batch: any(
        item["id"] == ideas[0] and item["upvotes"] == 10 for item in batch["items"]))
    assert all("mine" not in item for item in shown["items"])
    fresh = await Screen(server.url, {**phone_auth(a), "token": phones[0].token}).connect()
    assert [(i["id"], i["mine"], i["upvotes"]) for i in fresh["ideas"]][0] == (ideas[0], True, 10)

    # Session B saw none of this, and A saw nothing of B.
    b_tally = await b_facilitator.wait_for("tally", lambda t: t["round_id"] == b_round)
    assert b_tally["counts"] == {"0": 0, "1": 0, "2": 0, "3": 2} and b_tally["present"] == 2
    a_rounds = {r1["id"], r2["id"]}
    for screen in (facilitator, projector, *phones):
        for name, data in screen.events:
            if name in ("tally", "reasons") and data.get("round_id") is not None:
                assert data["round_id"] in a_rounds, (name, data)
    for name, data in b_facilitator.events:
        if name == "tally" and data.get("round_id") is not None:
            assert data["round_id"] == b_round
        assert name != "ideas" or data["items"] == []
    for screen in (facilitator, projector, *phones, *b_phones, b_facilitator):
        await screen.client.disconnect()


def test_a_whole_workshop_with_thirty_phones_on_the_real_server(tmp_path):
    data_dir = tmp_path / "server-data"
    data_dir.mkdir()
    server = start_server(data_dir)
    try:
        a = make_session(data_dir, server.url, agenda=("1.1", "1.2"), roles=("executive", "staff"))
        b = make_session(data_dir, server.url, agenda=("1.1",))
        asyncio.run(asyncio.wait_for(_workshop(server, a, b), 90))
        assert "Traceback" not in server.output(), server.output()
    finally:
        server.stop()
