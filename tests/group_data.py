"""A PMQA workshop of two working groups written through the services, as the rooms make it:
group ก (category 1, and item 2.1) and group ข (category 2). Both decide 2.1 differently:
the conflict the organizer settles."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workshop import catalog
from workshop.services import decisions, groups, participants, rounds, voting
from workshop.services.groups import GroupSpec
from workshop.services.sessions import SessionSettings
from workshop.store.db import Store

SECRET = "test-secret"
TITLE = "สัมมนาประเมินองค์การ PMQA 4.0 ปี 2569"
GROUPS = (GroupSpec("กลุ่ม ก หมวด 1", ("1", "2.1")), GroupSpec("กลุ่ม ข หมวด 2", ("2",)))
# (group index, criterion, votes, agreed, target, importance, note)
DECIDED = (
    (0, "1.1", [2, 2, 2], 2, 3, 4, None),
    (0, "2.1", [1, 1, 1], 1, 2, 3, "กลุ่ม ก เห็นว่ายังไม่ครบ"),
    (1, "2.1", [3, 3, 3], 3, 3, 5, "กลุ่ม ข มีหลักฐานครบ"),
    (1, "2.2", [0, 0, 0], 0, 2, 5, None),
)


@dataclass
class GroupedWorkshop:
    id: str
    group_ids: list[str]


def make_grouped_workshop(store: Store, language: str = "th") -> GroupedWorkshop:
    framework = catalog.get_framework("pmqa-4.0")
    settings = SessionSettings(title=TITLE, organization="กรมตัวอย่าง", held_on=date(2026, 5, 9),
                               language=language, anonymous=True, roles=("ผู้บริหาร",))
    with store.session() as db:
        workshop = groups.create_workshop(db, framework, settings, list(GROUPS))
        ids = [group.id for group in workshop.groups]
        sessions = list(workshop.groups)
        phones = {index: [participants.join(db, s, client_key=f"k{index}-{n}", secret_key=SECRET)
                          .participant for n in range(3)] for index, s in enumerate(sessions)}
        for index, code, levels, agreed, target, importance, note in DECIDED:
            session = sessions[index]
            opened = rounds.open_round(db, session, code)
            for phone, level in zip(phones[index], levels):
                voting.cast_vote(db, session.id, phone.id, round_id=opened.id, level=level)
            rounds.close_round(db, session, opened.id)
            rounds.reveal(db, session, opened.id)
            decisions.decide(db, session, criterion=code, agreed_level=agreed, target_level=target,
                             importance=importance, note=note)
        return GroupedWorkshop(workshop.id, ids)


def make_grouped_on_disk(data_dir, base_url: str, database_url: str = "",
                         specs: tuple[GroupSpec, ...] = GROUPS) -> dict:
    """A workshop of the groups `specs` (by default the two GROUPS), nothing decided yet, in the data folder's database (beside
    a running server); every group's id, join code and screen keys, and the plenary key."""
    from workshop.config import Config
    from workshop.services import sessions

    config = Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir),
                              "WORKSHOP_DATABASE_URL": database_url})
    store = Store.open(config.database_url)
    try:
        with store.session() as db:
            workshop = groups.create_workshop(
                db, catalog.get_framework("pmqa-4.0"),
                SessionSettings(title=TITLE, organization="กรมตัวอย่าง", held_on=date(2026, 5, 9),
                                language="th"), list(specs))
            return {"id": workshop.id,
                    "plenary_key": groups.plenary_key(config.secret_key, workshop),
                    "groups": [{"id": g.id, "name": g.group_name, "join_code": g.join_code,
                                "agenda": list(g.agenda),
                                "facilitator_key": sessions.link_key(config.secret_key, g, "facilitator"),
                                "projector_key": sessions.link_key(config.secret_key, g, "projector"),
                                **sessions.links(g, base_url, config.secret_key)}
                               for g in workshop.groups]}
    finally:
        store.dispose()


def set_organizer_password(data_dir, password: str) -> None:
    from workshop.config import Config
    from workshop.services import accounts

    store = Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)}).database_url)
    try:
        with store.session() as db:
            accounts.set_password(db, "organizer", password)
    finally:
        store.dispose()
