"""A bench-local Flask-SocketIO server that mimics the workshop's vote path.

It exists only so that bench/async_modes.py can compare server async modes on
the same small app; it is not the product. A phone sends `vote`, the server
validates it, upserts it into a dict keyed by (round, participant), keeps the
per-level counts up to date in constant time and acknowledges `{"ok": true}`.
A background task emits the tally to the "facilitator" room at most
TALLY_HZ times a second, and only when something changed.

    python bench/_vote_server.py --mode threading|gevent|gevent-websocket --port P
                                 [--sqlite PATH]

`gevent` serves WebSocket through simple-websocket (gevent-websocket is kept
from being imported, so the mode means the same whatever is installed);
`gevent-websocket` requires the gevent-websocket package to be importable.
"""
import sys


def _mode_from_argv(argv):
    """Read --mode before anything else is imported (gevent must patch first)."""
    for i, arg in enumerate(argv):
        if arg == "--mode" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--mode="):
            return arg.split("=", 1)[1]
    return "threading"


_MODE = _mode_from_argv(sys.argv)
if _MODE.startswith("gevent"):
    from gevent import monkey

    monkey.patch_all()
if _MODE == "gevent":
    sys.modules["geventwebsocket"] = None  # force the simple-websocket path

import argparse  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import sqlite3  # noqa: E402
import threading  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

TALLY_HZ = 4
LEVELS = range(0, 5)


class VoteBook:
    """Votes by (round, participant) and per-level counts, updated in O(1).

    With a database path, every vote is also upserted and committed to SQLite
    (WAL mode) before upsert() returns, like a durable vote in the product.
    """

    def __init__(self, db_path=None):
        self.lock = threading.Lock()
        self.votes = {}
        self.counts = [0] * len(LEVELS)
        self.version = 0
        self.db = _open_db(db_path) if db_path else None

    def upsert(self, round_id, participant, level):
        with self.lock:
            if self.db is not None:
                with self.db:
                    self.db.execute(UPSERT, (round_id, participant, level))
            old = self.votes.get((round_id, participant))
            if old is not None:
                self.counts[old] -= 1
            self.votes[(round_id, participant)] = level
            self.counts[level] += 1
            self.version += 1

    def size(self):
        with self.lock:
            return len(self.votes)

    def snapshot(self):
        with self.lock:
            return self.version, list(self.counts)


UPSERT = ("INSERT INTO vote (round, participant, level) VALUES (?, ?, ?) "
          "ON CONFLICT (round, participant) DO UPDATE SET level = excluded.level")


def _open_db(path):
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS vote (round TEXT, participant TEXT, "
               "level INTEGER, PRIMARY KEY (round, participant))")
    db.commit()
    return db


def _error(code, message):
    return {"ok": False, "error": {"code": code, "message": message}}


def _validate(data):
    if not isinstance(data, dict):
        return _error("bad_payload", "vote must be an object")
    level = data.get("level")
    if type(level) is not int or level not in LEVELS:
        return _error("bad_level", "level must be an integer 0..4")
    for key in ("round", "participant"):
        value = data.get(key)
        if not isinstance(value, str) or not 0 < len(value) <= 64:
            return _error("bad_" + key, key + " must be a short string")
    return None


def create_app(mode, db_path=None):
    """Build the app and its SocketIO object for the given async mode."""
    app = Flask(__name__)
    async_mode = "threading" if mode == "threading" else "gevent"
    socketio = SocketIO(app, async_mode=async_mode, cors_allowed_origins=[])
    book = VoteBook(db_path)

    @app.get("/health")
    def health():
        return {"ok": True, "mode": mode, "async_mode": socketio.async_mode,
                "votes": book.size()}

    @socketio.on("connect")
    def on_connect(auth=None):
        if isinstance(auth, dict) and auth.get("role") == "facilitator":
            join_room("facilitator")

    @socketio.on("join")
    def on_join(data=None):
        # the product's join (bench/floor_and_product.py): the connection is the participant
        return {"ok": True, "token": request.sid}

    @socketio.on("vote")
    def on_vote(data):
        if isinstance(data, dict) and type(data.get("round_id")) is int:
            # the product's payload: the round by id, the participant is the connection
            data = {"round": str(data["round_id"]), "participant": request.sid,
                    "level": data.get("level")}
        problem = _validate(data)
        if problem:
            return problem
        book.upsert(data["round"], data["participant"], data["level"])
        return {"ok": True}

    def emit_tallies():
        sent = 0
        while True:
            socketio.sleep(1.0 / TALLY_HZ)
            version, counts = book.snapshot()
            if version != sent:
                sent = version
                socketio.emit("tally", {"counts": counts, "version": version},
                              to="facilitator")

    socketio.start_background_task(emit_tallies)
    return app, socketio


def _raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="threading",
                        choices=["threading", "gevent", "gevent-websocket"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sqlite", metavar="PATH",
                        help="also commit every vote to this SQLite file")
    args = parser.parse_args()
    if args.mode == "gevent-websocket":
        import geventwebsocket  # noqa: F401  fail loudly when it is missing
    _raise_nofile()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app, socketio = create_app(args.mode, args.sqlite)
    print(f"serving {args.mode} on {args.host}:{args.port}", flush=True)
    socketio.run(app, host=args.host, port=args.port, log_output=False,
                 allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
