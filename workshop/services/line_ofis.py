"""The checklist lines a decision leaves unmet become OFIs: when a criterion's decision in force
rests on a checklist round, each line it proposes as an OFI (every line of the target level and
below that the room did not agree is met, `checklists.outcome`) is added as an idea of kind
"ofi", in the facilitator's name and kept, so it reaches the plan, every export and the archive
like any other OFI, and the facilitator can edit, merge, drop or hide it like the others.

Once per line: each OFI carries a client key made from its criterion and line, so deciding
again, a resent decision or a later reveal finds it and adds nothing (an OFI the facilitator
edited, merged or hid stays as they left it). Undoing the decision leaves the OFIs.

Blind until the reveal: the lines come from the room's answers, and ideas reach every phone,
so they are created only once the decision's round is revealed; a decision taken before its
round's reveal gets its OFIs at the reveal (`rounds.reveal` calls `create_for`).
"""
from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import decisions as decision_store
from ..store.models import Idea, Round, WorkshopSession
from . import checklists
from .lookups import framework_of
from .ideas import TEXT_LIMIT

KEY_PREFIX = "line:"


def line_key(criterion: str, line_id: str) -> str:
    """The client key of the OFI a checklist line becomes (fits Idea.client_key's 40)."""
    digest = hashlib.sha256(f"{criterion}\x00{line_id}".encode()).hexdigest()[:24]
    return KEY_PREFIX + digest


def _text(line_text: str) -> str:
    text = " ".join(line_text.split())
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT - 1] + "…"


def create_for(db: Session, session: WorkshopSession, criterion: str) -> list[Idea]:
    """Add the OFIs of the decision in force on `criterion` that are not there yet; returns
    the ones added (none when the decision does not rest on a revealed checklist round)."""
    decision = decision_store.current_decision(db, session.id, criterion)
    if decision is None or decision.round_id is None or decision.target_level is None:
        return []
    basis = db.get(Round, decision.round_id)
    if basis is None or basis.kind != "checklist" or basis.state != "revealed":
        return []
    wanted = checklists.outcome(db, session, basis, decision.target_level)["proposed_ofis"]
    keys = {line_id: line_key(criterion, line_id) for line_id in wanted}
    have = set(db.scalars(select(Idea.client_key).where(
        Idea.session_id == session.id, Idea.participant_id.is_(None),
        Idea.client_key.in_(list(keys.values())))))
    item = framework_of(db, session.id).criterion(criterion)
    added = []
    for line_id, key in keys.items():
        if key in have:
            continue
        text = _text(item.checklist_line(line_id).get(session.language))
        added.append(Idea(session_id=session.id, criterion_code=criterion, kind="ofi", text=text,
                          participant_id=None, client_key=key, upvotes=0, hidden=False,
                          kept=True))
    db.add_all(added)
    db.flush()
    return added


def of_criterion(db: Session, session_id: str, criterion: str) -> list[Idea]:
    """Every OFI made from a checklist line of `criterion` (for the live pages to refresh)."""
    return list(db.scalars(select(Idea).where(
        Idea.session_id == session_id, Idea.criterion_code == criterion,
        Idea.participant_id.is_(None), Idea.client_key.startswith(KEY_PREFIX))))
