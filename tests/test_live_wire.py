"""What a phone's join costs on the wire: Thai text travels as UTF-8, not as `\\u` escapes
(six bytes a letter instead of three), read here from the real server's polling transport."""
from __future__ import annotations

import json

import requests

from tests.helpers import make_session


def test_the_snapshot_reaches_a_phone_with_its_thai_text_as_utf8(live_server):
    session = make_session(live_server.data_dir, live_server.url, title="ประเมินตนเอง ส่วนราชการ")
    endpoint = live_server.url + "/socket.io/?EIO=4&transport=polling"
    opened = requests.get(endpoint, timeout=30)
    sid = json.loads(opened.text[1:])["sid"]
    auth = {"role": "participant", "code": session["join_code"], "lang": "th"}
    connect = "40" + json.dumps(auth)
    assert requests.post(f"{endpoint}&sid={sid}", data=connect.encode(), timeout=30).ok
    received = ""
    for _ in range(5):  # the connect answer and the snapshot may come in separate polls
        received += requests.get(f"{endpoint}&sid={sid}", timeout=30).content.decode("utf-8")
        if '42["snapshot"' in received:
            break
    assert '42["snapshot"' in received
    assert "ประเมินตนเอง ส่วนราชการ" in received
    assert "\\u0e" not in received.lower()


def _poll_until(endpoint: str, sid: str, wanted: str) -> str:
    received = ""
    for _ in range(10):  # the answers may come over several polls
        received += requests.get(f"{endpoint}&sid={sid}", timeout=30).content.decode("utf-8")
        if wanted in received:
            return received
    raise AssertionError(f"{wanted!r} never came: {received[:500]}")


def test_a_joined_phones_snapshot_carries_the_kept_stage_as_utf8(live_server):
    """The stage phones share is serialized once and spliced into each snapshot
    (workshop/live/wire_json.py RawJSON): still one JSON object, Thai as UTF-8."""
    session = make_session(live_server.data_dir, live_server.url)
    endpoint = live_server.url + "/socket.io/?EIO=4&transport=polling"
    sid = json.loads(requests.get(endpoint, timeout=30).text[1:])["sid"]
    auth = {"role": "participant", "code": session["join_code"], "lang": "th"}
    assert requests.post(f"{endpoint}&sid={sid}", data=("40" + json.dumps(auth)).encode(), timeout=30).ok
    _poll_until(endpoint, sid, '42["snapshot"')
    join = '421["join",' + json.dumps({"client_key": "k" * 20}) + "]"
    assert requests.post(f"{endpoint}&sid={sid}", data=join.encode(), timeout=30).ok
    received = _poll_until(endpoint, sid, '42["snapshot",{')
    packet = next(p for p in received.split("\x1e") if p.startswith('42["snapshot"'))
    snapshot = json.loads(packet[2:])[1]
    assert snapshot["me"] is not None and snapshot["stage"]["criterion"]["code"] == "1.1"
    assert snapshot["stage"]["timer"] is None and snapshot["stage"]["round"] is None
    assert snapshot["stage"]["criterion"]["title"]["th"] in packet
    assert "\\u0e" not in received.lower()


def test_raw_parts_go_into_the_packet_as_they_are_in_their_places():
    from workshop.live.wire_json import RawJSON, dumps
    stage = RawJSON('{"criterion":{"title":"การนำองค์การ"}}')
    text = dumps(["snapshot", {"me": {"id": 1}, "stage": stage, "ideas": [RawJSON("[1,2]")]}],
                 separators=(",", ":"))
    assert json.loads(text) == ["snapshot", {"me": {"id": 1}, "stage": {"criterion": {"title": "การนำองค์การ"}},
                                             "ideas": [[1, 2]]}]
    assert "การนำองค์การ" in text


def test_text_that_cannot_be_utf8_is_still_escaped_with_raw_parts_in_it():
    from workshop.live.wire_json import RawJSON, dumps
    text = dumps({"a": "\ud800", "b": RawJSON('{"c":"ก"}')})
    text.encode("utf-8")
    assert json.loads(text) == {"a": "\ud800", "b": {"c": "ก"}}


def test_what_json_cannot_write_is_still_refused():
    import pytest
    from workshop.live.wire_json import dumps
    with pytest.raises(TypeError):
        dumps({"a": object()})
