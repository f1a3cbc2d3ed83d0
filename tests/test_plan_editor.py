"""The plan editor over HTTP: who may open it, what a change must carry, and what comes back."""
from __future__ import annotations

import json
import re

import pytest

from tests.workshop_data import make_workshop
from workshop.services import sessions
from workshop.store.models import WorkshopSession

HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def facilitator_key(app, store, workshop):
    with store.session() as db:
        found = db.get(WorkshopSession, workshop.session_id)
        return sessions.link_key(app.config["WORKSHOP"].secret_key, found, "facilitator")


def plan_data(page) -> dict:
    text = page.get_data(as_text=True)
    return json.loads(re.search(r'<script type="application/json" id="plan-data">(.*?)</script>', text, re.S).group(1))


def item(plan: dict, code: str) -> dict:
    return next(i for i in plan["items"] if i["criterion_code"] == code)


def patch(client, url, csrf=None, **body):
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    return client.patch(url, json=body, headers=headers)


# --- who may open it -------------------------------------------------------------------------

def test_the_organizer_page_needs_a_login(client, workshop):
    answer = client.get(f"/organizer/sessions/{workshop.session_id}/plan")
    assert answer.status_code == 302 and "/organizer/login" in answer.location
    data = client.get(f"/organizer/sessions/{workshop.session_id}/plan/data")
    assert data.status_code == 401 and data.json["error"]["code"] == "login_required"
    change = client.patch(f"/organizer/sessions/{workshop.session_id}/plan/items/1", json={})
    assert change.status_code == 401


def test_the_facilitator_needs_the_current_key(client, workshop, facilitator_key):
    base = f"/facilitate/{workshop.session_id}"
    assert client.get(f"{base}/{facilitator_key}/plan").status_code == 200
    assert client.get(f"{base}/wrong-key/plan").status_code == 404
    assert client.get(f"{base}/wrong-key/plan/data").json["error"]["code"] == "not_found"
    assert patch(client, f"{base}/wrong-key/plan/items/1", field="owner", value="x",
                 version=1).status_code == 404
    assert client.get(f"/facilitate/nosuch/{facilitator_key}/plan").status_code == 404


def test_the_organizer_sees_the_plan_with_its_figures_and_thai_quarters(organizer, workshop):
    page = organizer.get(f"/organizer/sessions/{workshop.session_id}/plan?lang=th")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    plan = plan_data(page)
    assert [i["criterion_code"] for i in plan["items"]] == ["1.2", "1.1", "2.1"]
    typed = item(plan, "1.2")
    assert typed["quarter_labels"]["start_quarter"] == "ไตรมาส 1/2570 (ต.ค.–ธ.ค. 2569)"
    assert (typed["gap"], typed["importance"], typed["priority"]) == (2, 5, 10)
    english = plan_data(organizer.get(f"/organizer/sessions/{workshop.session_id}/plan?lang=en"))
    assert item(english, "1.2")["quarter_labels"]["end_quarter"] == "Q2 FY2027 (Jan–Mar 2027)"
    tags = re.findall(r"<script[^>]*>", page.get_data(as_text=True))
    assert tags and all(' src="/static/' in tag or 'type="application/json"' in tag for tag in tags)


def test_an_unknown_session_is_not_found_for_the_organizer(organizer):
    assert organizer.get("/organizer/sessions/nosuch/plan").status_code == 404
    assert organizer.get("/organizer/sessions/nosuch/plan/data").status_code == 404


# --- changes ---------------------------------------------------------------------------------

def test_an_organizer_change_without_the_csrf_token_is_refused(organizer, workshop):
    plan = organizer.get(f"/organizer/sessions/{workshop.session_id}/plan/data").json["plan"]
    target = item(plan, "1.1")
    url = f"/organizer/sessions/{workshop.session_id}/plan/items/{target['id']}"
    refused = patch(organizer, url, field="owner", value="กองกลาง", version=target["version"])
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf"
    wrong = patch(organizer, url, csrf="forged", field="owner", value="กองกลาง", version=target["version"])
    assert wrong.status_code == 400
    saved = patch(organizer, url, csrf=organizer.csrf, field="owner", value="กองกลาง",
                  version=target["version"], base="")
    assert saved.status_code == 200 and saved.json["item"]["owner"] == "กองกลาง"


def test_the_facilitator_edits_with_the_key_alone(client, workshop, facilitator_key):
    base = f"/facilitate/{workshop.session_id}/{facilitator_key}/plan"
    target = item(client.get(f"{base}/data").json["plan"], "2.1")
    saved = patch(client, f"{base}/items/{target['id']}", field="start_quarter", value="Q3/2027",
                  version=target["version"], base="")
    assert saved.status_code == 200
    assert saved.json["item"]["start_quarter"] == "Q3/2570"
    assert saved.json["item"]["version"] == target["version"] + 1


def test_two_editors_of_one_field_the_second_gets_409_with_the_current_item(client, workshop, facilitator_key):
    base = f"/facilitate/{workshop.session_id}/{facilitator_key}/plan"
    target = item(client.get(f"{base}/data").json["plan"], "1.1")
    url = f"{base}/items/{target['id']}"
    assert patch(client, url, field="owner", value="ก", version=target["version"], base="").status_code == 200
    clash = patch(client, url, field="owner", value="ข", version=target["version"], base="")
    assert clash.status_code == 409
    assert clash.json["conflict"] is True and clash.json["item"]["owner"] == "ก"
    other = patch(client, url, field="indicator", value="ร้อยละ", version=target["version"], base="")
    assert other.status_code == 200 and other.json["merged"] is True


@pytest.mark.parametrize("body, field, reason", [
    ({"field": "start_quarter", "value": "soon"}, "start_quarter", "not_a_quarter"),
    ({"field": "owner", "value": "ก" * 300}, "owner", "too_long"),
    ({"field": "status", "value": "whatever"}, "status", "unknown_status"),
    ({"field": "id", "value": 5}, "field", "unknown_field"),
    ({"field": "owner", "value": "x", "version": "1"}, "version", "not_a_number"),
])
def test_bad_values_get_a_translated_message_and_change_nothing(client, workshop, facilitator_key,
                                                                 body, field, reason):
    base = f"/facilitate/{workshop.session_id}/{facilitator_key}/plan"
    before = item(client.get(f"{base}/data").json["plan"], "1.2")
    body = {"version": before["version"], **body}
    answer = client.patch(f"{base}/items/{before['id']}?lang=th", json=body)
    assert answer.status_code == 400
    error = answer.json["error"]
    assert (error["code"], error["field"], error["reason"]) == ("invalid", field, reason)
    assert error["message"]
    assert item(client.get(f"{base}/data").json["plan"], "1.2") == before


def test_a_body_that_is_not_json_is_refused(client, workshop, facilitator_key):
    base = f"/facilitate/{workshop.session_id}/{facilitator_key}/plan"
    answer = client.patch(f"{base}/items/1", data="owner=x", content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400 and answer.json["error"]["reason"] == "not_json"


def test_an_item_of_another_session_cannot_be_reached_through_this_link(client, store, workshop, facilitator_key):
    other = make_workshop(store)
    with store.session() as db:
        from workshop.services import plan as plan_service
        plan_service.materialize(db, other.session_id)
        theirs = plan_service.plan_view(db, other.session_id)["items"][0]
    url = f"/facilitate/{workshop.session_id}/{facilitator_key}/plan/items/{theirs['id']}"
    answer = patch(client, url, field="owner", value="x", version=theirs["version"])
    assert answer.status_code == 404


def test_actions_and_order_change_through_their_endpoints(client, workshop, facilitator_key):
    base = f"/facilitate/{workshop.session_id}/{facilitator_key}/plan"
    plan = client.get(f"{base}/data").json["plan"]
    target = item(plan, "1.1")
    texts = [a["text"] for a in target["actions"]]
    merged = client.post(f"{base}/items/{target['id']}/actions",
                         json={"op": "merge", "indexes": [0, 1], "version": target["version"], "base": texts})
    assert merged.status_code == 200 and len(merged.json["item"]["actions"]) == 2
    moved = client.post(f"{base}/items/{target['id']}/move", json={"direction": "up"})
    assert moved.status_code == 200
    assert moved.json["order"][0] == target["id"]
    bad = client.post(f"{base}/items/{target['id']}/move", json={"direction": "sideways"})
    assert bad.status_code == 400


def test_hostile_text_is_stored_as_typed_and_never_rendered_as_markup(client, workshop, facilitator_key):
    base = f"/facilitate/{workshop.session_id}/{facilitator_key}/plan"
    target = item(client.get(f"{base}/data").json["plan"], "1.1")
    saved = patch(client, f"{base}/items/{target['id']}", field="owner", value=HOSTILE[:200],
                  version=target["version"])
    assert saved.status_code == 200
    added = client.post(f"{base}/items/{target['id']}/actions",
                        json={"op": "add", "text": HOSTILE, "version": saved.json["item"]["version"]})
    assert added.status_code == 200
    page = client.get(base).get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    shown = item(plan_data(client.get(base)), "1.1")
    assert shown["owner"] == " ".join(HOSTILE[:200].split())
    assert shown["actions"][-1]["text"] == HOSTILE
