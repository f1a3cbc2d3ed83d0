"""Two sessions of the same framework side by side: where the organization stood then and now.

The dashboard's checkboxes send `?s=<id>&s=<id>`; anything but two sessions of one framework
is refused with a message saying what to choose instead.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _

from ...services.dashboard import NotComparable, compare_sessions
from . import bp, guard

ARROWS = {"up": "↑", "down": "↓", "same": "="}


def _refusal(problem: NotComparable) -> str:
    if problem.code == "frameworks":
        return _("These two sessions use different frameworks (%(frameworks)s): only sessions of"
                 " the same framework can be compared.", frameworks=problem.detail)
    if problem.code == "missing":
        return _("There is no such session: %(ids)s. It may have been deleted.", ids=problem.detail)
    return _("Choose two different sessions to compare.")


@bp.get("/compare")
@guard.login_required
def compare():
    chosen = [value for value in request.args.getlist("s") if value][:3]
    if len(chosen) != 2:
        return render_template("organizer/compare.html", comparison=None,
                               error=_("Choose exactly two sessions on the dashboard, then"
                                       " “Compare”.")), 400
    try:
        with guard.store().session() as db:
            comparison = compare_sessions(db, chosen[0], chosen[1])
    except NotComparable as problem:
        current_app.logger.info("compare refused: %s", problem)
        return render_template("organizer/compare.html", comparison=None,
                               error=_refusal(problem)), 400
    return render_template("organizer/compare.html", comparison=comparison, error=None,
                           arrows=ARROWS)
