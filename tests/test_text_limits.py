"""Every limit on typed text lives in domain/limits.py: the live events refuse one character past
it, and the pages' inputs and scripts read it from there (maxlength and data-limits)."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workshop import catalog
from workshop.domain import limits
from workshop.domain.limits import TEXT_LIMITS
from workshop.live import payloads as p
from workshop.live.payloads import parse
from workshop.services import sessions
from workshop.services.errors import LiveError
from workshop.services.sessions import SessionSettings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Not text limits: a join code has its own format, and the login form is another branch's.
NOT_TEXT_LIMITS = {"home.html", "login.html", "setup.html"}

# (event payload, the field typed by a person, its limit, the rest of a valid payload)
TYPED_FIELDS = [
    (p.Vote, "note", limits.VOTE_NOTE, {"round_id": 1, "level": 2}),
    (p.Join, "name", limits.PARTICIPANT_NAME, {"client_key": "k" * 16}),
    (p.Join, "role", limits.ROLE, {"client_key": "k" * 16}),
    (p.Reason, "text", limits.REASON, {"round_id": 1}),
    (p.AddIdea, "text", limits.IDEA, {"criterion": "1.1", "kind": "idea", "client_key": "k"}),
    (p.EditIdea, "text", limits.IDEA, {"idea_id": 1}),
    (p.Decide, "note", limits.DECISION_NOTE,
     {"criterion": "1.1", "agreed_level": 2, "target_level": 3, "importance": 3}),
    (p.AddProxy, "name", limits.PARTICIPANT_NAME, {"client_key": "k"}),
    (p.SetIndicator, "name", limits.INDICATOR_NAME, {"criterion": "7.1", "client_key": "k", "target": 1}),
    (p.SetIndicator, "unit", limits.INDICATOR_UNIT,
     {"criterion": "7.1", "client_key": "k", "target": 1, "name": "ร้อยละ"}),
]


@pytest.mark.parametrize("model, field, limit, rest", TYPED_FIELDS,
                         ids=[f"{m.__name__}.{f}" for m, f, _, _ in TYPED_FIELDS])
def test_a_live_event_takes_text_up_to_its_limit_and_refuses_one_character_more(model, field, limit, rest):
    assert getattr(parse(model, {**rest, field: "ก" * limit}), field) == "ก" * limit
    with pytest.raises(LiveError) as refused:
        parse(model, {**rest, field: "ก" * (limit + 1)})
    assert refused.value.code == "invalid" and refused.value.field == field


class _Inputs(HTMLParser):
    """The maxlength of each input by id, and the data-limits of the page's script root."""

    def __init__(self):
        super().__init__()
        self.maxlength, self.data_limits = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "maxlength" in attrs and "id" in attrs:
            self.maxlength[attrs["id"]] = int(attrs["maxlength"])
        if "data-limits" in attrs:
            self.data_limits = json.loads(attrs["data-limits"])


def _inputs(client, url) -> _Inputs:
    page = client.get(url)
    assert page.status_code == 200
    found = _Inputs()
    found.feed(page.get_data(as_text=True))
    return found


def test_the_phone_and_facilitator_pages_take_their_limits_from_the_one_source(client, store, config):
    with store.session() as db:
        made = sessions.create_session(db, catalog.get_framework("pmqa-4.0"), SessionSettings(title="PMQA", anonymous=False))
        code, session_id = made.join_code, made.id
        key = sessions.link_key(config.secret_key, made, "facilitator")
    phone = _inputs(client, f"/j/{code}")
    assert phone.data_limits == TEXT_LIMITS
    assert phone.maxlength == {"join-name": limits.PARTICIPANT_NAME, "note": limits.VOTE_NOTE,
                               "reason": limits.REASON, "idea-text": limits.IDEA}
    facilitator = _inputs(client, f"/facilitate/{session_id}/{key}")
    assert facilitator.data_limits == TEXT_LIMITS
    assert facilitator.maxlength == {"decide-note": limits.DECISION_NOTE, "add-idea-text": limits.IDEA,
                                     "proxy-name": limits.PARTICIPANT_NAME}


def test_no_page_writes_a_text_limit_of_its_own():
    written = [path.relative_to(TEMPLATES) for path in sorted(TEMPLATES.rglob("*.html"))
               if path.name not in NOT_TEXT_LIMITS and re.search(r'maxlength="\d', path.read_text("utf-8"))]
    assert written == []
