"""Creating a workshop session: the frozen framework, the agenda, the join code and the links."""
import pytest

from workshop import catalog
from workshop.services import sessions
from workshop.services.lookups import framework_of
from workshop.services.sessions import SessionInvalid, SessionSettings

SECRET = "a-secret-key-for-tests"


@pytest.fixture
def pmqa():
    return catalog.get_framework("pmqa-4.0")


def test_a_new_session_votes_on_every_criterion_in_framework_order_by_default(store, pmqa):
    with store.session() as db:
        created = sessions.create_session(db, pmqa, SessionSettings(title="ประเมิน PMQA ปี 2569"))
        session_id = created.id
    with store.session() as db:
        found = sessions.get(db, session_id)
        assert found.agenda == [c.code for c in pmqa.criteria()]
        assert found.current_criterion == "1.1"
        assert framework_of(db, session_id) == pmqa
        assert found.settings["results_mode"] == "hidden" and found.settings["anonymous"] is True


def test_a_typed_join_code_finds_its_session_whatever_the_case_and_spaces(store, pmqa):
    with store.session() as db:
        created = sessions.create_session(db, pmqa, SessionSettings(title="t"))
        code = created.join_code
    with store.session() as db:
        typed = f" {code[:3].lower()} {code[3:]} "
        assert sessions.find_by_join_code(db, typed).id == created.id
        assert sessions.find_by_join_code(db, "0OIL1") is None
        assert sessions.find_by_join_code(db, ["not", "a", "code"]) is None


def test_settings_that_do_not_hold_together_are_refused_with_every_problem(store, pmqa):
    bad = SessionSettings(title=" ", language="fr", results_mode="loud", agenda=("1.1", "9.9", "1.1"),
                          roles=("",))
    with store.session() as db, pytest.raises(SessionInvalid) as refused:
        sessions.create_session(db, pmqa, bad)
    fields = [problem.split(":")[0] for problem in refused.value.problems]
    assert fields == ["title", "language", "results_mode", "agenda", "agenda", "roles"]


def test_facilitator_and_projector_links_carry_different_keys_that_a_new_nonce_revokes(store, pmqa):
    with store.session() as db:
        created = sessions.create_session(db, pmqa, SessionSettings(title="t", agenda=("2.1", "1.1")))
        links = sessions.links(created, "http://192.0.2.10:5000", SECRET)
        facilitator_key = links["facilitator"].rsplit("/", 1)[1]
        projector_key = links["projector"].rsplit("/", 1)[1]
        assert facilitator_key != projector_key
        assert links["join"] == f"http://192.0.2.10:5000/j/{created.join_code}"
        assert sessions.key_matches(SECRET, created, "facilitator", facilitator_key)
        assert not sessions.key_matches(SECRET, created, "facilitator", projector_key)
        assert not sessions.key_matches("another-server", created, "facilitator", facilitator_key)
        sessions.renew_links(created)
        assert not sessions.key_matches(SECRET, created, "facilitator", facilitator_key)
        assert created.current_criterion == "2.1"
