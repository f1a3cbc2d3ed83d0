"""A hostile archive is refused whole, with a message, before a single row is written.

Someone who edits an archive on purpose can compute its checksum again (it is a check, not a
signature), so every rule below is tried on archives re-sealed after the edit: what the
checksum no longer guards, the schema and the row rules must.
"""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from tests.organizer_fixtures import logged_in
from tests.workshop_data import make_workshop
from workshop.cli_exports import import_command
from workshop.exports.archive import export_archive
from workshop.services.archive_import import import_archive
from workshop.exports.archive_format import ArchiveRefused, DamagedArchive, NotAnArchive, checksum
from workshop.services.export_data import read_export_data
from workshop.store.db import Store
from workshop.store.models import WorkshopSession

DEEP = b"[" * 100_000 + b"]" * 100_000
LONG_NUMBER = b'{"format": "workshop-session-archive", "version": 1, "x": ' + b"7" * 5000 + b"}"


@pytest.fixture
def archive(store) -> dict:
    workshop = make_workshop(store)
    with store.session() as db:
        return json.loads(export_archive(read_export_data(db, workshop.session_id)))


@pytest.fixture
def elsewhere(tmp_path):
    """The empty server the archive is carried to."""
    there = Store.open(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    yield there
    there.dispose()


def resealed(archive: dict) -> bytes:
    archive["checksum"] = checksum(archive)
    return json.dumps(archive, ensure_ascii=False).encode()


def sessions_in(store) -> int:
    with store.session() as db:
        return db.scalar(select(func.count()).select_from(WorkshopSession))


@pytest.mark.parametrize("data, message", [
    (DEEP, "nested deeper than 32 levels"),
    (b'{"format": "workshop-session-archive", "a": ' + DEEP + b"}", "nested deeper than 32"),
    (LONG_NUMBER, "a number with more than 18 digits"),
    (b'{"format": "workshop-session-archive", "version": 1, "x": 1e999}', "too large to hold"),
    (b'{"format": "workshop-session-archive", "version": 1, "x": NaN}', "NaN is not a JSON number"),
])
def test_a_file_built_to_choke_the_parser_is_refused_with_a_reason(elsewhere, data, message):
    with pytest.raises(ArchiveRefused, match=message):
        import_archive(elsewhere, data)
    assert sessions_in(elsewhere) == 0


def test_the_dashboard_refuses_a_file_of_nested_brackets_without_a_traceback(client, store):
    organizer = logged_in(client, store)
    form = {"csrf_token": organizer.csrf, "archive": (io.BytesIO(DEEP), "deep.json")}
    answer = organizer.post("/organizer/import?lang=en", data=form,
                            content_type="multipart/form-data")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "nothing was imported" in text
    assert "nested deeper than 32 levels" in text and "Traceback" not in text
    assert sessions_in(store) == 0


@pytest.mark.parametrize("data", [DEEP, LONG_NUMBER])
def test_the_import_command_refuses_a_hostile_file_with_one_line(runner, tmp_path, data):
    path = tmp_path / "hostile.json"
    path.write_bytes(data)
    result = runner.invoke(import_command, [str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}: " in result.output and "archive: the file holds" in result.output


def _set(path: str, value):
    """An edit of the archive at a dotted path (`session.settings.roles`, `ideas.0.text`)."""
    def edit(archive: dict) -> None:
        *parents, last = path.split(".")
        target = archive
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return edit


def _open_two_rounds(archive: dict) -> None:
    for round_ in archive["rounds"][:2]:
        round_.update(state="open", closed_at=None, revealed_at=None)


@pytest.mark.parametrize("edit, where", [
    (_set("session.settings.results_mode", "everything"), "session.settings.results_mode"),
    (_set("session.settings.roles", "ผู้บริหาร"), "session.settings.roles"),
    (_set("session.settings.roles", ["x" * 500]), "session.settings.roles[0]"),
    (_set("session.settings.thresholds", {"max_iqr": -1}), "thresholds.max_iqr"),
    (_set("session.settings.thresholds", {"quorum": 3}), "unknown key(s) quorum"),
    (_set("session.settings.anonymous", "no"), "session.settings.anonymous"),
    (_set("session.settings.colour", "red"), "session.settings.colour"),
    (lambda a: a["session"]["settings"].pop("roles"), "session.settings.roles: Field required"),
    (_set("session.current_criterion", "9.9"), "session.current_criterion: '9.9' is not on"),
    (_set("session.current_criterion", "3.1"), "session.current_criterion: '3.1' is not on"),
    (_set("session.ideas_open_for", "7.1"), "session.ideas_open_for: '7.1' is not on"),
    (_set("session.agenda", ["1.1", "1.2", "1.1"]), "session.agenda: '1.1' appears twice"),
    (_set("session.join_code", "<b>AB12</b>"), "session.join_code"),
    (_set("plan_items.0.start_quarter", "soon"), "plan_items[0].start_quarter"),
    (_set("plan_items.0.status", "abandoned"), "plan_items[0].status"),
    (_set("plan_items.0.actions", [5]), "plan_items[0].actions[0]"),
    (_set("plan_items.0.position", 10**15), "plan_items[0].position"),
    (_set("rounds.0.votes.0.level", 10**12), "rounds[0].votes[0].level"),
    (_set("ideas.0.text", "bell\u0007"), "ideas[0].text: holds control characters"),
    (_set("participants.0.name", "\x1b[2J"), "participants[0].name: holds control characters"),
    (_set("decisions.1.note", "x" * 6000), "decisions[1].note"),
    (_set("rounds.0.closed_at", None), "rounds[0]: a revealed round with closed_at None"),
    (_open_two_rounds, "rounds: 2 rounds are open"),
])
def test_a_resealed_archive_with_values_the_workshop_cannot_hold_is_refused_whole(
        archive, elsewhere, edit, where):
    edit(archive)
    with pytest.raises(DamagedArchive) as refused:
        import_archive(elsewhere, resealed(archive))
    assert where in str(refused.value)
    assert sessions_in(elsewhere) == 0


def test_a_lone_surrogate_is_refused_before_anything_reads_the_text(archive, elsewhere):
    # json.dumps cannot even write it as UTF-8: it arrives as a \\ud800 escape
    archive["ideas"][0]["text"] = "\ud800"
    data = json.dumps(archive, ensure_ascii=True).encode()
    with pytest.raises(DamagedArchive, match=r"ideas\[0\].text: holds control characters .*D800"):
        import_archive(elsewhere, data)
    assert sessions_in(elsewhere) == 0


def test_an_untouched_archive_still_imports(archive, elsewhere):
    assert import_archive(elsewhere, resealed(archive)).session_id == archive["session"]["id"]
