"""The groups' decisions merged into one organization plan: outcomes, conflicts, settling.

A criterion's **outcome** lists every group whose decision in force on it has an agreed level.
One group: that decision stands. Two or more: a **conflict**, which stands unresolved until
the organizer settles it by choosing one group's decision, with a note saying why. Nothing is
overwritten: every group keeps its own decisions, the settlement is a row of its own, and the
merged export data says for each criterion which group decided it and what was settled.

`merged_export_data` builds one set of export data shaped like `read_export_data`'s
(services/export_data.py), so every export works on the merged workshop unchanged; it refuses (`ConflictsUnsettled`) while a
conflict is unsettled, so no export hides one. Its extra keys (`groups`, `merge`, and a
`group` on rows) carry the group labels the exports print (docs/plan.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import limits
from ..errors import Refused
from .export_data import iso, read_export_data
from .lookups import framework_of
from ..store.decisions import current_decisions
from ..store.models import Settlement, Workshop, utcnow

NOTE_LIMIT = limits.SETTLEMENT_NOTE
NOTE_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


class SettleRefused(Refused):
    """A settlement that cannot be made; `code` says why (not_a_conflict, not_an_option, note)."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code)


class ConflictsUnsettled(Refused):
    """The merge was asked for while criteria decided by two groups are not settled yet."""

    def __init__(self, codes: list[str]):
        super().__init__("criteria decided by more than one group, not settled yet: "
                         + ", ".join(codes), "conflicts_unsettled")
        self.codes = codes


@dataclass(frozen=True)
class Option:
    """One group's decision in force on a criterion."""
    session_id: str
    group: str
    agreed_level: int
    target_level: int | None
    importance: int | None
    note: str | None


@dataclass(frozen=True)
class Outcome:
    code: str
    options: tuple[Option, ...]
    settlement: Settlement | None  # only when it chose one of the options

    @property
    def conflict(self) -> bool:
        return len(self.options) > 1

    @property
    def settled(self) -> bool:
        return not self.conflict or self.settlement is not None

    @property
    def chosen(self) -> Option | None:
        if not self.conflict:
            return self.options[0]
        if self.settlement is None:
            return None
        return next(o for o in self.options if o.session_id == self.settlement.session_id)


def outcomes(db: Session, workshop: Workshop) -> list[Outcome]:
    """Every criterion any group decided, in framework order (one query per group)."""
    options: dict[str, list[Option]] = {}
    for group in workshop.groups:
        for code, decision in current_decisions(db, group.id).items():
            if decision.agreed_level is not None:
                options.setdefault(code, []).append(Option(
                    group.id, group.group_name or group.title, decision.agreed_level,
                    decision.target_level, decision.importance, decision.note))
    if not workshop.groups:
        return []
    framework = framework_of(db, workshop.groups[0].id)
    settlements = {s.criterion_code: s for s in workshop.settlements}
    found = []
    for criterion in framework.criteria():
        if criterion.code not in options:
            continue
        mine = tuple(options[criterion.code])
        settlement = settlements.get(criterion.code)
        if settlement is not None and settlement.session_id not in {o.session_id for o in mine}:
            settlement = None  # the chosen group's decision was undone since: settle again
        found.append(Outcome(criterion.code, mine, settlement if len(mine) > 1 else None))
    return found


def conflicts(db: Session, workshop: Workshop) -> list[Outcome]:
    return [outcome for outcome in outcomes(db, workshop) if outcome.conflict]


def settle(db: Session, workshop: Workshop, criterion_code: object, session_id: object,
           note: object, settled_by: str | None) -> Settlement:
    """Choose one group's decision on a conflicting criterion; settling again replaces the
    choice. Raises SettleRefused and changes nothing on bad input."""
    outcome = next((o for o in conflicts(db, workshop) if o.code == criterion_code), None)
    if outcome is None:
        raise SettleRefused("not_a_conflict", f"{criterion_code!s:.40}: no two groups decided it")
    if session_id not in {o.session_id for o in outcome.options}:
        raise SettleRefused("not_an_option", "choose one of the groups that decided it")
    text = note.strip() if isinstance(note, str) else ""
    if not text or len(text) > NOTE_LIMIT or NOTE_CONTROL.search(text):
        raise SettleRefused("note", f"say why, in 1-{NOTE_LIMIT} characters of plain text")
    found = db.scalar(select(Settlement).where(Settlement.workshop_id == workshop.id,
                                               Settlement.criterion_code == outcome.code))
    if found is None:
        found = Settlement(workshop_id=workshop.id, criterion_code=outcome.code)
        db.add(found)
    found.session_id, found.note, found.settled_by, found.settled_at = (
        session_id, text, settled_by, utcnow())
    db.flush()
    db.expire(workshop, ["settlements"])
    return found


# --- one set of export data of the whole workshop ----------------------------------------------------

def merged_export_data(db: Session, workshop: Workshop) -> dict:
    """The workshop as one set of export data for the exports; raises ConflictsUnsettled."""
    found = outcomes(db, workshop)
    unsettled = [o.code for o in found if not o.settled]
    if unsettled:
        raise ConflictsUnsettled(unsettled)
    chosen = {o.code: o.chosen.session_id for o in found}
    snaps = [(group, read_export_data(db, group.id)) for group in workshop.groups]
    names = {group.id: group.group_name or group.title for group in workshop.groups}
    framework = framework_of(db, workshop.groups[0].id)
    order = {c.code: n for n, c in enumerate(framework.criteria())}
    merged = _Merger(chosen, names, order)
    for group, snap in snaps:
        merged.add(group.id, snap)
    agenda = sorted({code for _, snap in snaps for code in snap["session"]["agenda"]},
                    key=lambda code: order.get(code, len(order)))
    first = snaps[0][1]["session"]
    return {
        "session": {**first, "id": workshop.id, "title": workshop.title,
                    "organization": workshop.organization, "held_on": iso(workshop.held_on),
                    "language": workshop.language, "agenda": agenda, "join_code": "",
                    "status": "ended" if all(g.status == "ended" for g, _ in snaps) else "live",
                    "current_criterion": None, "ideas_open_for": None, "explain_round": None,
                    "created_at": iso(workshop.created_at)},
        "framework": snaps[0][1]["framework"],
        **merged.rows(),
        "groups": [{"name": names[g.id], "session_id": g.id, "agenda": s["session"]["agenda"]}
                   for g, s in snaps],
        "merge": {
            "decided_by": {o.code: o.chosen.group for o in found},
            "settlements": {o.code: {"group": o.chosen.group, "note": o.settlement.note,
                                     "over": [x.group for x in o.options if x is not o.chosen],
                                     "settled_by": o.settlement.settled_by,
                                     "settled_at": iso(o.settlement.settled_at)}
                            for o in found if o.conflict},
        },
    }


class _Merger:
    """Renumbers every group's rows into one set of export data. Per criterion, the rows of the group
    whose decision stands come last, so its latest round and its decision are the ones in
    force (the exports read "latest" and "newest" as the export data orders them)."""

    def __init__(self, chosen: dict[str, str], names: dict[str, str], order: dict[str, int]):
        self.chosen, self.names, self.order = chosen, names, order
        self.participants, self.rounds, self.decisions = [], [], []
        self.ideas, self.plan_items, self.indicators = [], {}, {}

    def _last(self, session_id: str, code: str) -> int:
        return 1 if self.chosen.get(code) == session_id else 0

    def add(self, session_id: str, snap: dict) -> None:
        group = self.names[session_id]
        person = {}
        for p in snap["participants"]:
            person[p["id"]] = len(self.participants) + 1
            self.participants.append({**p, "id": person[p["id"]], "group": group})
        round_ref = {}
        for r in snap["rounds"]:
            round_ref[r["id"]] = (session_id, r["id"])
            self.rounds.append({**r, "id": (session_id, r["id"]), "group": group,
                                "votes": [{**v, "participant": person[v["participant"]]}
                                          for v in r["votes"]],
                                "answers": [{**a, "participant": person[a["participant"]]}
                                            for a in r.get("answers") or ()]})
        for d in snap["decisions"]:
            self.decisions.append({**d, "round": round_ref.get(d["round"]), "group": group,
                                   "_last": self._last(session_id, d["criterion_code"])})
        idea_ref = {i["id"]: len(self.ideas) + n for n, i in enumerate(snap["ideas"], start=1)}
        for i in snap["ideas"]:
            self.ideas.append({**i, "id": idea_ref[i["id"]], "group": group,
                               "participant": person.get(i["participant"]),
                               "merged_into": idea_ref.get(i.get("merged_into")),
                               "upvoted_by": [{**u, "participant": person[u["participant"]]}
                                              for u in i["upvoted_by"]]})
        for item in snap["plan_items"]:
            code = item["criterion_code"]
            if code not in self.plan_items or self.chosen.get(code) == session_id:
                self.plan_items[code] = {**item, "group": group}
        by_item: dict[str, list] = {}
        for row in snap.get("indicators", []):
            by_item.setdefault(row["criterion_code"], []).append({**row, "group": group})
        for code, rows in by_item.items():  # like plan edits: the standing group's, else the first's
            if code not in self.indicators or self.chosen.get(code) == session_id:
                self.indicators[code] = rows

    def rows(self) -> dict:
        by_code = lambda code: self.order.get(code, len(self.order))  # noqa: E731
        rounds = sorted(self.rounds, key=lambda r: (
            by_code(r["criterion_code"]), self._last(r["id"][0], r["criterion_code"]), r["number"]))
        numbers: dict[str, int] = {}
        ref = {}
        for new_id, r in enumerate(rounds, start=1):
            numbers[r["criterion_code"]] = numbers.get(r["criterion_code"], 0) + 1
            ref[r["id"]] = new_id
            r.update(id=new_id, number=numbers[r["criterion_code"]])
        decisions = sorted(self.decisions, key=lambda d: (by_code(d["criterion_code"]), d["_last"]))
        for d in decisions:
            del d["_last"]
            d["round"] = ref.get(d["round"])
        items = sorted(self.plan_items.values(),
                       key=lambda i: (i["position"], by_code(i["criterion_code"])))
        indicators = [row for code in sorted(self.indicators, key=by_code)
                      for row in self.indicators[code]]
        return {"participants": self.participants, "rounds": rounds, "decisions": decisions,
                "ideas": self.ideas, "plan_items": items, "indicators": indicators}
