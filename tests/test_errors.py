"""One family of errors (workshop/errors.py), and one way each reaches a phone, a browser and a
terminal: the same code, a message in the reader's language, the status or exit code it means."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from click.testing import CliRunner

import workshop
from workshop.cli import main
from workshop.domain.dates import DateInvalid
from workshop.errors import NotFound, Refused, WorkshopError
from workshop.live.messages import error_ack
from workshop.services.errors import LiveError
from workshop.store.faults import StoreBusy

# Modules that run something when imported (the entry point) or belong to Alembic.
NOT_IMPORTED = ("workshop.__main__", "workshop.store.migrations")


def _workshop_modules():
    for found in pkgutil.walk_packages(workshop.__path__, "workshop."):
        if not found.name.startswith(NOT_IMPORTED):
            yield importlib.import_module(found.name)


def test_every_error_the_workshop_raises_on_purpose_is_a_workshop_error():
    own = {cls for module in _workshop_modules() for _, cls in inspect.getmembers(module, inspect.isclass)
           if issubclass(cls, Exception) and cls.__module__.startswith("workshop.")}
    assert len(own) > 20  # the walk found the services', store's, domain's and exports' errors
    assert sorted(cls.__qualname__ for cls in own if not issubclass(cls, WorkshopError)) == []


def test_a_phone_hears_a_refusal_with_its_code_in_its_own_language(app):
    with app.app_context():
        assert error_ack(LiveError("round_not_open", "closed", field="round_id"), "en") == {
            "ok": False, "error": {"code": "round_not_open", "field": "round_id",
                                   "message": "Voting on this criterion is closed."}}
        busy = error_ack(StoreBusy("locked"), "en")["error"]
        assert busy["code"] == "database_busy" and busy["message"].startswith("The database is busy")
        typed = error_ack(DateInvalid("31/02/2569", "not_a_date"), "th")["error"]
        assert typed["code"] == "invalid" and typed["message"] == "ข้อมูลไม่ถูกต้อง: payload"


@pytest.fixture
def failing(app):
    """Routes that let a workshop error through, as a service raises it."""
    def raising(error):
        def view():
            raise error
        return view
    app.add_url_rule("/gone", "gone", raising(NotFound("no plan item 7", field="item")))
    app.add_url_rule("/busy", "busy", raising(StoreBusy("locked")))
    app.add_url_rule("/refused", "refused", raising(Refused("the agenda names 9.9")))
    return app.test_client()


def test_a_browser_gets_the_errors_status_and_message_as_json_or_text(failing):
    gone = failing.get("/gone?lang=en", headers={"Accept": "application/json"})
    assert gone.status_code == 404
    assert gone.get_json() == {"ok": False, "error": {"code": "not_found", "field": "item",
                                                      "message": "Not found in this session: item."}}
    busy = failing.get("/busy?lang=en")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert busy.mimetype == "text/plain" and busy.get_data(as_text=True).startswith("The database is busy")
    refused = failing.get("/refused?lang=en", headers={"Accept": "application/json"})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid"


def test_a_terminal_gets_the_errors_message_and_exit_code(data_dir, monkeypatch):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))
    result = CliRunner().invoke(main, ["frameworks", "show", "no-such-framework"])
    assert result.exit_code == NotFound.exit_code == 1
    assert result.output.startswith("Error: no framework 'no-such-framework'; available:")
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
