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
