"""What phones reconnecting after a server restart cost, beside what their first joins cost
(issue 12 point 2: "reconnects after a restart cost no more than joins").

In one process, on the app's own handlers (Flask-SocketIO's test client, threading mode: the
same handlers and SQL as the real server, without the network transport), a PMQA 4.0 session
with a round open on criterion 1.1:
  1. N phones connect and join (after 20 warm-up joins);
  2. the app is stopped and a new one started on the same data folder, with this process's
     caches emptied (the parsed frameworks, the kept stages): what a restart leaves;
  3. the N phones reconnect with their tokens, all at once, as they do when the server is back.
Printed: CPU ms (this process's, client side included, the same for both waves) and SQL
statements per phone for each wave. Repeat to see the spread on a loaded machine.

    .venv/bin/python bench/reconnect_after_restart.py --phones 300 --repeat 3
"""
import argparse
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from tests.helpers import make_session  # noqa: E402
from tests.live_fixtures import ScreenClient  # noqa: E402
from workshop import live  # noqa: E402
from workshop.app import create_app  # noqa: E402
from workshop.config import Config  # noqa: E402
from workshop.extensions import socketio  # noqa: E402
from workshop.services import lookups  # noqa: E402
from workshop.store.prebuilt import RawUnit  # noqa: E402


STATEMENTS: list[int] = []  # every SQL statement: through SQLAlchemy, or prebuilt on a bare connection


def _count_prebuilt() -> None:
    for name in ("first", "all", "execute"):
        def counted(unit, statement, values, run=getattr(RawUnit, name)):
            STATEMENTS.append(1)
            return run(unit, statement, values)
        setattr(RawUnit, name, counted)


def _app(data: Path):
    app = create_app(Config.from_env({}, data_dir=data, async_mode="threading", testing=True))
    event.listen(app.extensions["workshop.store"].engine, "before_cursor_execute",
                 lambda *_: STATEMENTS.append(1))
    return app, STATEMENTS


def _stop(app) -> None:
    live.shutdown(app)
    app.extensions["workshop.store"].dispose()
    lookups._frameworks.clear()


def _wave(app, statements, connect) -> tuple[float, float, list]:
    before, cpu = len(statements), time.process_time()
    clients = connect()
    spent = time.process_time() - cpu
    return spent * 1000 / len(clients), (len(statements) - before) / len(clients), clients


def run_once(phones: int) -> tuple[float, float, float, float]:
    data = Path(tempfile.mkdtemp(prefix="reconnect-bench-"))
    app, statements = _app(data)
    session = make_session(data, agenda=("1.1", "1.2"))
    screen = {"role": "facilitator", "session": session["id"], "key": session["facilitator_key"], "lang": "en"}
    assert ScreenClient(app, socketio, auth=screen).emit("open_round", {"criterion": "1.1"}, callback=True)["ok"]
    phone = {"role": "participant", "code": session["join_code"], "lang": "en"}

    def join():
        client = ScreenClient(app, socketio, auth=phone)
        ack = client.emit("join", {"client_key": secrets.token_urlsafe(18)}, callback=True)
        assert ack["ok"], ack
        client.token = ack["token"]
        return client
    for _ in range(20):
        join()
    join_ms, join_sql, joined = _wave(app, statements, lambda: [join() for _ in range(phones)])
    _stop(app)
    app, statements = _app(data)  # the server is back

    def reconnect():
        back = [ScreenClient(app, socketio, auth={**phone, "token": one.token}) for one in joined]
        assert all(client.is_connected() for client in back)
        return back
    back_ms, back_sql, _ = _wave(app, statements, reconnect)
    _stop(app)
    return join_ms, join_sql, back_ms, back_sql


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _count_prebuilt()
    print("| run | phones | connect+join CPU ms | statements | reconnect after restart CPU ms | statements | ratio |")
    print("|---|---|---|---|---|---|---|")
    for run in range(1, args.repeat + 1):
        join_ms, join_sql, back_ms, back_sql = run_once(args.phones)
        print(f"| {run} | {args.phones} | {join_ms:.2f} | {join_sql:.2f} | {back_ms:.2f} | {back_sql:.2f} "
              f"| x{back_ms / join_ms:.2f} |", flush=True)


if __name__ == "__main__":
    main()
