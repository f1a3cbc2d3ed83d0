"""Connecting and disconnecting: who a socket is (from its `auth`), its rooms, its snapshot,
and the presence count. See docs/protocol.md, "Connecting".

A refusal carries the documented `{"code", "message"}` as the error's data (socket.io-client
reads it as `err.data`). The snapshot is built before the socket is registered, so a snapshot
that fails leaves no phantom in the presence count.
"""
from __future__ import annotations

import logging

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..extensions import socketio
from ..i18n import LANGUAGES
from ..services import lookups, participants, sessions, views
from ..services.errors import LiveError
from ..services.units import light_unit, unit_of_work
from ..links import request_base_url
from . import wire_json
from .limits import address_key, client_key, live_limits
from .messages import REFUSALS, default_language, refusal
from .rooms import participant_room, role_room
from .state import Connection, live_state

log = logging.getLogger(__name__)
AUTH_KEYS = {"participant": {"role", "code", "token", "lang"},
             "facilitator": {"role", "session", "key", "lang"},
             "projector": {"role", "session", "key", "lang"}}


def _refuse(code: str, lang: str) -> ConnectionRefusedError:
    """python-socketio sends (message, data) as {"message", "data"}: data is the documented shape
    (a single dict argument would reach the client as its Python repr)."""
    code = code if code in REFUSALS else "invalid"
    text = refusal(code, lang)
    return ConnectionRefusedError(text, {"code": code, "message": text})


def _lang(auth: dict, fallback: str | None = None) -> str:
    lang = auth.get("lang")
    return lang if lang in LANGUAGES else (fallback or default_language())


def _checked_auth(auth: object) -> dict:
    if not isinstance(auth, dict) or auth.get("role") not in AUTH_KEYS:
        raise _refuse("invalid", default_language())
    lang = _lang(auth)
    if set(auth) - AUTH_KEYS[auth["role"]]:
        raise _refuse("invalid", lang)
    for key in AUTH_KEYS[auth["role"]] - {"role", "token", "lang"}:
        if not isinstance(auth.get(key), str) or not 1 <= len(auth[key]) <= 64:
            raise _refuse("invalid", lang)
    if auth.get("token") is not None and not isinstance(auth["token"], str):
        raise _refuse("invalid", lang)
    return auth


def on_connect(auth=None):
    auth = _checked_auth(auth)
    live = live_state()
    try:
        conn, snapshot = (_phone if auth["role"] == "participant" else _screen)(live, auth)
    except ConnectionRefusedError:
        raise
    except LiveError as refused:
        raise _refuse(refused.code, _lang(auth)) from None
    except Exception:
        log.exception("live connection failed")
        raise _refuse("server_error", _lang(auth)) from None
    arrived = _enter(live, conn)
    emit("snapshot", snapshot)
    if arrived:
        live.broadcaster.mark_tally(conn.session_id)
    live.broadcaster.ensure_started()


def _phone(live, auth: dict) -> tuple[Connection, dict]:
    """A phone: its session by join code (kept on the socket for its join), and its
    participant when it comes back with its token."""
    with light_unit() as reads:
        session = live_limits().session_by_join_code(reads, auth["code"])
    if session is None:
        raise _refuse("not_found", _lang(auth))
    conn = Connection(session.id, "participant", _lang(auth, session.language), session=session,
                      limit_keys=(address_key(), client_key()))
    if auth.get("token") is None:
        return conn, views.participant_snapshot(None, session, None)
    shared = shared_stage(live, session.id)  # before the unit: a miss opens one of its own
    with light_unit() as reads:
        participant = participants.find_by_token(reads, session.id, auth["token"])
        snapshot = phone_snapshot(reads, session, participant, shared)
    if participant is not None:
        conn.participant_id, conn.observer, conn.token = participant.id, participant.observer, auth["token"]
    return conn, snapshot


def _screen(live, auth: dict) -> tuple[Connection, dict]:
    """The facilitator's or the projector's page: its session by id and its link's key."""
    role = auth["role"]
    with unit_of_work() as db:
        session = sessions.get(db, auth["session"])
        if session is None:
            raise _refuse("not_found", _lang(auth))
        lang = _lang(auth, session.language)
        if not sessions.key_matches(current_app.config["WORKSHOP"].secret_key, session, role, auth["key"]):
            raise _refuse("forbidden", lang)
        snapshot = views.snapshot(db, session, role, present=live.broadcaster.present(db, session.id),
                                  base_url=request_base_url())
    return Connection(session.id, role, lang), snapshot


def _kept_stage(session_id: str) -> tuple[views.PhoneStage, str]:
    """The stage phones share and its JSON without the timer (whose seconds run on)."""
    with unit_of_work() as db:
        shared = views.phone_stage(db, lookups.session_row(db, session_id))
    return shared, wire_json.dumps({k: v for k, v in shared.stage.items() if k != "timer"},
                                   separators=(",", ":"))


def shared_stage(live, session_id: str) -> tuple[views.PhoneStage, str]:
    """The stage every phone of the session shares, built and serialized once per stage version
    (live/stage_cache.py; on a miss, from the session's row read afresh in a unit of its own).
    Called with no unit of work open: a unit waiting for a second pooled connection while
    holding one could exhaust the pool under a wave of joins."""
    return live.stage_cache.get(session_id, lambda: _kept_stage(session_id))


def phone_snapshot(db, session, participant, shared: tuple[views.PhoneStage, str], *,
                   new: bool = False) -> dict:
    """A phone's snapshot around the shared stage (`shared_stage`), its JSON spliced in."""
    if participant is None:
        return views.participant_snapshot(db, session, None)
    stage, text = shared
    snapshot = views.participant_snapshot(db, session, participant, new=new, shared=stage)
    timer = wire_json.dumps(snapshot["stage"]["timer"], separators=(",", ":"))
    snapshot["stage"] = wire_json.RawJSON(f'{text[:-1]},"timer":{timer}}}')
    return snapshot


def _enter(live, conn: Connection) -> bool:
    """Register the socket, join its rooms; True when a participant became present."""
    live.add(request.sid, conn)
    join_room(role_room(conn.session_id, conn.role))
    return enter_as_participant(live, request.sid, conn) if conn.participant_id is not None else False


def enter_as_participant(live, sid: str, conn: Connection) -> bool:
    """Put socket `sid` in its participant's room (outside a request too: a join is `hot`)."""
    socketio.server.enter_room(sid, participant_room(conn.session_id, conn.participant_id), namespace="/")
    if conn.observer:
        return False
    return live.presence.arrive(conn.session_id, conn.participant_id)


def on_disconnect(*_reason):
    live = live_state()
    conn = live.remove(request.sid)
    if conn is None or conn.participant_id is None or conn.observer:
        return
    if live.presence.leave(conn.session_id, conn.participant_id):
        live.broadcaster.mark_tally(conn.session_id)
