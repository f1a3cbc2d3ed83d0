"""The JSON archive: a whole workshop leaves one server and arrives whole on another, or not at all."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import event, func, select

from workshop.exports.archive import export_archive
from workshop.services.archive_import import SessionExists, import_archive
from workshop.exports.archive_format import (DamagedArchive, NotAnArchive, UnknownVersion,
                                             checksum)
from workshop.services.export_data import SessionNotFound, read_export_data
from workshop.store.db import Store
from workshop.store.models import (Decision, Idea, IdeaUpvote, Participant, PlanItem, Round,
                                   Vote, WorkshopSession)
from tests.workshop_data import PEOPLE, TITLE, make_workshop

TABLES = (WorkshopSession, Participant, Round, Vote, Decision, Idea, IdeaUpvote, PlanItem)


@pytest.fixture
def stores(backend_url, tmp_path):
    """Two servers: the one the workshop ran on (on `backend_url`) and an empty SQLite one."""
    here = Store.open(backend_url)
    there = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    yield here, there
    here.dispose()
    there.dispose()


def export(store, session_id) -> bytes:
    with store.session() as db:
        return export_archive(read_export_data(db, session_id))


def counts(store) -> dict[str, int]:
    with store.session() as db:
        return {t.__tablename__: db.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_an_archive_imported_into_an_empty_server_exports_again_unchanged(stores):
    here, there = stores
    workshop = make_workshop(here)
    first = export(here, workshop.session_id)
    imported = import_archive(there, first)
    assert imported.session_id == workshop.session_id
    assert imported.join_code == workshop.join_code and not imported.new_join_code
    assert export(there, workshop.session_id) == first


def test_an_archive_imported_into_postgresql_exports_again_unchanged(stores, backend_url):
    # the other way round: from SQLite into the `backend_url` server (PostgreSQL in turn)
    here, there = stores
    workshop = make_workshop(there)
    first = export(there, workshop.session_id)
    import_archive(here, first)
    assert export(here, workshop.session_id) == first


def test_the_archive_holds_the_whole_workshop(stores):
    here, _ = stores
    workshop = make_workshop(here)
    archive = json.loads(export(here, workshop.session_id))
    assert (archive["format"], archive["version"]) == ("workshop-session-archive", 1)
    assert archive["session"]["title"] == TITLE
    assert archive["session"]["explain_round"] == 2  # the first round of 1.2
    assert archive["framework"]["id"] == "pmqa-4.0"
    assert [p["name"] for p in archive["participants"]] == [name for name, _ in PEOPLE]
    assert [(r["criterion_code"], r["number"]) for r in archive["rounds"]] == workshop.rounds
    assert sum(len(r["votes"]) for r in archive["rounds"]) == workshop.votes
    assert [d["undone"] for d in archive["decisions"]] == [False, False, False, True, True]
    assert [i["upvotes"] for i in archive["ideas"]] == [5, 3, 1, 6, 2, 2, 3, 1]
    assert archive["plan_items"][0]["owner"] == "กลุ่มงานคุ้มครองจริยธรรม"
    item = archive["plan_items"][0]  # what the working group wrote (issue 8, point 4)
    assert (item["ofi"], item["project"], item["owner_person"]) == (
        "ยังไม่เปิดเผยข้อมูลการจัดซื้อจัดจ้างครบทุกโครงการ", "โครงการเปิดเผยข้อมูลจัดซื้อจัดจ้าง",
        "นางมาลี ศรีสุข")
    assert (item["budget_amount"], item["budget_source"]) == (150000, "งบดำเนินงาน")
    assert item["year_targets"] == {"2571": 2} and item["evidence"].startswith("รายงาน")
    assert "token_hash" not in json.dumps(archive) and "link_nonce" not in json.dumps(archive)


def test_an_anonymous_workshop_keeps_roles_but_no_names(stores):
    here, _ = stores
    workshop = make_workshop(here, named=False)
    archive = json.loads(export(here, workshop.session_id))
    assert {p["name"] for p in archive["participants"]} == {None}
    assert archive["participants"][0]["role"] == "ผู้บริหาร"


def test_reading_a_session_takes_the_same_few_queries_for_any_room(stores):
    here, _ = stores
    small, large = make_workshop(here), make_workshop(here)
    with here.session() as db:  # a larger room: 40 more phones voting in every round
        rounds = db.scalars(select(Round).where(Round.session_id == large.session_id)).all()
        for n in range(40):
            phone = Participant(session_id=large.session_id, token_hash=f"{n:064d}", role="x")
            db.add(phone)
            db.flush()
            db.add_all(Vote(round_id=r.id, participant_id=phone.id, level=1) for r in rounds)
    statements = []
    event.listen(here.engine, "before_cursor_execute", lambda *args: statements.append(1))
    for workshop in (small, large):
        statements.clear()
        with here.session() as db:
            read_export_data(db, workshop.session_id)
        assert len(statements) == 10  # one per table, checklist answers and indicators included


def test_a_session_id_that_exists_already_is_refused_unless_a_new_id_is_asked(stores):
    here, _ = stores
    workshop = make_workshop(here)
    archive = export(here, workshop.session_id)
    before = counts(here)
    with pytest.raises(SessionExists, match=f"session {workshop.session_id} exists.*--new-id"):
        import_archive(here, archive)
    assert counts(here) == before
    copy = import_archive(here, archive, new_id=True)
    assert copy.session_id != workshop.session_id and copy.join_code != workshop.join_code
    assert copy.renamed and copy.new_join_code
    again = json.loads(export(here, copy.session_id))
    original = json.loads(archive)
    for part in ("participants", "rounds", "decisions", "ideas", "plan_items", "framework"):
        assert again[part] == original[part]


def test_a_join_code_taken_here_by_another_session_is_replaced(stores):
    here, there = stores
    workshop = make_workshop(here)
    archive = json.loads(export(here, workshop.session_id))
    make_workshop(there)
    with there.session() as db:
        other = db.scalars(select(WorkshopSession)).one()
        other.join_code = workshop.join_code
    imported = import_archive(there, export(here, workshop.session_id))
    assert imported.session_id == archive["session"]["id"]
    assert imported.new_join_code and imported.join_code != workshop.join_code


def _resealed(archive: dict) -> bytes:
    archive["checksum"] = checksum(archive)
    return json.dumps(archive, ensure_ascii=False).encode()


@pytest.mark.parametrize("damage, refusal, message", [
    (lambda a: b"\x89PNG\r\n\x1a\n\xff\xd8 a picture", NotAnArchive, "not UTF-8"),
    (lambda a: b"title,level\n1.1,2\n", NotAnArchive, "not JSON"),
    (lambda a: b'{"hello": "world"}', NotAnArchive, "no \"format\""),
    (lambda a: a[: len(a) // 2].decode("utf-8", "ignore").encode(), DamagedArchive, "JSON breaks at line"),
    (lambda a: a.replace("สมชาย".encode(), "สมศรี".encode()), DamagedArchive, "checksum"),
    (lambda a: _resealed({**json.loads(a), "version": 9}), UnknownVersion, "version 9"),
    (lambda a: _resealed({**json.loads(a), "session": {**json.loads(a)["session"],
                                                       "held_on": "2569-05-09"}}),
     DamagedArchive, "2569-05-09 has a Buddhist-era year.*write 2026-05-09"),
])
def test_a_file_that_is_not_a_whole_archive_is_refused_and_nothing_is_written(
        stores, damage, refusal, message):
    here, there = stores
    workshop = make_workshop(here)
    archive = export(here, workshop.session_id)
    with pytest.raises(refusal, match=message):
        import_archive(there, damage(archive))
    assert counts(there) == dict.fromkeys(counts(there), 0)


def test_an_archive_whose_rows_do_not_hold_together_is_refused_with_every_problem(stores):
    here, there = stores
    workshop = make_workshop(here)
    archive = json.loads(export(here, workshop.session_id))
    archive["rounds"][0]["votes"][0]["participant"] = 99
    archive["rounds"][0]["votes"][1]["level"] = 7
    archive["ideas"][0]["upvotes"] = 50
    archive["decisions"][0]["importance"] = 9
    with pytest.raises(DamagedArchive) as refused:
        import_archive(there, _resealed(archive))
    message = str(refused.value)
    assert "decisions[0].importance" in message
    archive["decisions"][0]["importance"] = 4
    with pytest.raises(DamagedArchive) as refused:
        import_archive(there, _resealed(archive))
    message = str(refused.value)
    assert "3 problem(s)" in message
    assert "rounds[0].votes[0].participant: no participant 99" in message
    assert "rounds[0].votes[1].level: 7 is not a level" in message
    assert "ideas[0].upvotes: 50 but 5 upvote(s) listed" in message
    assert counts(there) == dict.fromkeys(counts(there), 0)


def test_a_failure_while_writing_leaves_nothing_half_imported(stores, monkeypatch):
    here, there = stores
    workshop = make_workshop(here)
    archive = export(here, workshop.session_id)
    from workshop.services import archive_import as module

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "_plan_items", broken)  # the last rows to be written
    with pytest.raises(RuntimeError, match="disk full"):
        import_archive(there, archive)
    assert counts(there) == dict.fromkeys(counts(there), 0)


def test_reading_a_session_that_does_not_exist_says_so(stores):
    here, _ = stores
    with here.session() as db, pytest.raises(SessionNotFound, match="no session 'nope'"):
        read_export_data(db, "nope")
