"""How long each text people type may be, in characters: the one source of every limit.

The live payloads, the services, the web forms, the pages' `maxlength` and the browser code
all read these numbers (pages get them as `TEXT_LIMITS`, rendered into a `data-limits`
attribute; see `workshop/web/limits.py`). Change a limit here and nowhere else.
"""
from __future__ import annotations

# A participant on the phone.
PARTICIPANT_NAME = 60
ROLE = 40                # a participant's role, as the organizer lists the roles
VOTE_NOTE = 500          # evidence typed with a vote
REASON = 140             # why an outlier voted as it did
IDEA = 280               # an improvement idea, strength or OFI

# The facilitator.
DECISION_NOTE = 500      # why the room agreed on another level than the proposed one

# The organizer.
SESSION_TITLE = 200      # a session's title and its organization
GROUP_NAME = 80
SETTLEMENT_NOTE = 2000   # why a merged workshop settled a conflict as it did
INDICATOR_NAME = 200
INDICATOR_UNIT = 40

# The plan editor: one line each, or a box of several lines.
PLAN_LINES = {"owner": 200, "owner_person": 200, "target_value": 200, "budget_source": 200}
PLAN_BOXES = {"ofi": 2000, "objective": 1000, "project": 1000, "indicator": 1000,
              "budget_note": 1000, "evidence": 1000}
PLAN_QUARTER = 20        # "ไตรมาสที่ 1/2570" and room to spare
PLAN_ACTION = 500

# What the pages receive (`data-limits`): every limit above, by a name the browser code uses.
TEXT_LIMITS = {
    "participant_name": PARTICIPANT_NAME,
    "role": ROLE,
    "vote_note": VOTE_NOTE,
    "reason": REASON,
    "idea": IDEA,
    "decision_note": DECISION_NOTE,
    "session_title": SESSION_TITLE,
    "group_name": GROUP_NAME,
    "settlement_note": SETTLEMENT_NOTE,
    "indicator_name": INDICATOR_NAME,
    "indicator_unit": INDICATOR_UNIT,
    "plan_quarter": PLAN_QUARTER,
    "plan_action": PLAN_ACTION,
    **{f"plan_{name}": limit for name, limit in {**PLAN_LINES, **PLAN_BOXES}.items()},
}
