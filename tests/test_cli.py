"""The command line as a user runs it: serve, print the links, set the organizer password."""
import requests

from tests.helpers import make_session
from tests.servers import start_server
from workshop import network
from workshop.cli import main
from workshop.config import Config
from workshop.services import accounts
from workshop.store.db import Store


def test_the_server_answers_and_prints_where_organizers_and_phones_go(live_server):
    home = requests.get(live_server.url + "/", timeout=5)
    assert home.status_code == 200 and "<form" in home.text
    printed = live_server.output()
    assert f"{live_server.url}/organizer" in printed
    assert f"Phones join at (LAN):  {live_server.url}/" in printed
    assert "async mode: gevent" in printed
    assert "MonkeyPatchWarning" not in printed  # gevent patched before anything else was imported
    assert f"{live_server.url}/organizer/setup?token=" in printed


def test_the_server_prints_the_facilitator_link_of_each_session_about_to_run(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    made = make_session(data_dir, title="ประเมิน PMQA ปี 2570")
    server = start_server(data_dir)
    try:
        printed = server.output()
        link = f"{server.url}/facilitate/{made['id']}/{made['facilitator_key']}"
        assert f"Facilitator of “ประเมิน PMQA ปี 2570” (join code {made['join_code']}): {link}" in printed
        assert requests.get(link, timeout=5).status_code == 200
    finally:
        server.stop()


def test_phones_are_never_sent_to_localhost_when_serving_on_every_interface(monkeypatch):
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.23", "10.0.0.5"])
    assert network.base_url("", "0.0.0.0", 5000) == "http://192.168.1.23:5000"
    assert network.base_url("https://ws.example.go.th/", "0.0.0.0", 5000) == "https://ws.example.go.th"
    assert network.base_url("", "127.0.0.1", 80) == "http://127.0.0.1"


def test_lan_addresses_hold_no_loopback_address():
    assert all(not address.startswith("127.") for address in network.lan_addresses())


def test_set_password_creates_the_organizer_account_and_retires_the_setup_link(runner, data_dir):
    config = Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)})
    store = Store.open(config.database_url)
    with store.session() as db:
        token = accounts.setup_token_if_needed(db, data_dir)
    assert token and accounts.setup_token_matches(data_dir, token)
    result = runner.invoke(main, ["set-password", "--username", "somchai"],
                           input="long enough pass\nlong enough pass\n")
    assert result.exit_code == 0, result.output
    with store.session() as db:
        assert accounts.check_login(db, "somchai", "long enough pass")
        assert not accounts.check_login(db, "somchai", "wrong password")
        assert not accounts.check_login(db, "nobody", "long enough pass")
        assert accounts.setup_token_if_needed(db, data_dir) is None
    assert not accounts.setup_token_matches(data_dir, token)
    store.dispose()


def test_a_short_password_is_refused_and_nothing_is_stored(runner, data_dir):
    result = runner.invoke(main, ["set-password"], input="short\nshort\n")
    assert result.exit_code != 0 and "at least 8 characters" in result.output
    store = Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)}).database_url)
    with store.session() as db:
        assert not accounts.has_account(db)
    store.dispose()
