"""What "this session works" means after something from outside was let in (an imported
archive, a framework file): every page and every export of it answers, and every screen's
live snapshot builds. Used by the fuzzing tests of the importers."""
from __future__ import annotations

import io
import json

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from workshop.services import sessions as session_service
from workshop.services import views
from workshop.services.plan import materialize
from workshop.store.models import Participant, WorkshopSession

EXPORTS = ("json", "csv-plan", "csv-votes", "xlsx", "docx", "pdf")


def _get(client, url: str):
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code, answer.get_data(as_text=True)[-2000:])
    return answer


def assert_session_works(app, organizer, session_id: str, *, pdf: bool = True) -> None:
    """`organizer` is a logged-in test client of `app`."""
    store = app.extensions["workshop.store"]
    secret = app.config["WORKSHOP"].secret_key
    with store.session() as db:
        session = db.get(WorkshopSession, session_id)
        links = session_service.links(session, "", secret)
        phone = db.query(Participant).filter_by(session_id=session_id).first()
        for role in ("facilitator", "projector", "participant"):
            json.dumps(views.snapshot(db, session, role,
                                      participant=phone if role == "participant" else None))
        materialize(db, session_id)
    for url in (f"/organizer/sessions/{session_id}", f"/organizer/sessions/{session_id}/plan",
                f"/organizer/sessions/{session_id}/plan/data", links["facilitator"],
                links["projector"], f"/j/{links['join_code']}"):
        _get(organizer, url)
    base = f"/organizer/sessions/{session_id}/download"
    load_workbook(io.BytesIO(_get(organizer, f"{base}/xlsx").data))
    Document(io.BytesIO(_get(organizer, f"{base}/docx").data))
    json.loads(_get(organizer, f"{base}/json").data)
    for what in ("plan", "votes"):
        _get(organizer, f"{base}/csv-{what}").data.decode("utf-8-sig")
    if pdf:
        assert len(PdfReader(io.BytesIO(_get(organizer, f"{base}/pdf").data)).pages) >= 1
