"""Room names: one per session and role, and one per participant (their own devices)."""
from __future__ import annotations

ROLES = ("participant", "facilitator", "projector")


def role_room(session_id: str, role: str) -> str:
    return f"{session_id}:{role}"


def participant_room(session_id: str, participant_id: int) -> str:
    return f"{session_id}:p:{participant_id}"
