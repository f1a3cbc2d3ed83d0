"""What a session's settings may hold and what they mean, wherever they are read: the organizer's
form, the session service, an imported archive, the exports."""
from __future__ import annotations

from typing import Any

from . import limits

RESULTS_MODES = ("hidden", "live")
ROLE_LIMIT = limits.ROLE
MAX_ROLES = 12


def is_named(settings: dict[str, Any]) -> bool:
    """A session is named when the organizer turned anonymity off."""
    return settings.get("anonymous", True) is False
