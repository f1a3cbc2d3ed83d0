"""Where a vote's CPU goes, in-process: cProfile around N phones casting votes through
Flask-SocketIO's test client (the same packet decoding, dispatch, handler, SQL and
acknowledgement as the real server; the gevent transport is not in it).

    .venv/bin/python bench/profile_votes.py --phones 50 --votes 2000 --top 25

Prints the CPU per vote under the profiler, the garbage collections the votes caused (per
generation, with their CPU time) and the functions with the largest own time. Results are in
docs/performance.md ("Where a vote's and a join's CPU goes").
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import make_session  # noqa: E402
from tests.live_fixtures import Screens  # noqa: E402
from workshop import create_app, live  # noqa: E402
from workshop.config import Config  # noqa: E402


class Collections:
    """Garbage collections per generation and their CPU time, through `gc.callbacks`."""

    def __init__(self) -> None:
        self.count, self.seconds, self._started = [0, 0, 0], 0.0, 0.0

    def __call__(self, phase, info) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.count[info["generation"]] += 1
            self.seconds += time.process_time() - self._started

    def __str__(self) -> str:
        made = "/".join(map(str, self.count))
        return f"gc: {made} collections of generation 0/1/2, {self.seconds * 1000:.0f} ms CPU"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--votes", type=int, default=2000, help="votes in all")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--callees", default="", help="also print what functions matching this regex call")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        config = Config.from_env({}, data_dir=data_dir, async_mode="threading", testing=True)
        app = create_app(config)
        try:
            session = make_session(data_dir, agenda=("1.1", "1.2"))
            screens = Screens(app, session)
            facilitator = screens.facilitator()
            ack = facilitator.emit("open_round", {"criterion": "1.1"}, callback=True)
            round_id = ack["round"]["id"]
            phones = [screens.joined_phone() for _ in range(args.phones)]
            for phone in phones:  # warm-up: one vote each, outside the profile
                assert phone.emit("vote", {"round_id": round_id, "level": 1}, callback=True)["ok"]
                phone.get_received()
            gc.collect()
            collections = Collections()
            gc.callbacks.append(collections)
            profile = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
            started = time.process_time()
            profile.enable()
            for n in range(args.votes):
                phone = phones[n % len(phones)]
                ack = phone.emit("vote", {"round_id": round_id, "level": n % 4}, callback=True)
                if not ack["ok"]:
                    raise SystemExit(f"vote refused: {ack}")
            profile.disable()
            gc.callbacks.remove(collections)
            spent = time.process_time() - started
            print(f"{args.votes} votes, {args.phones} phones: {spent * 1000 / args.votes:.3f} ms CPU per vote under the profiler")
            print(collections)
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats(args.sort).print_stats(args.top)
            if args.callees:
                stats.print_callees(args.callees)
            print(out.getvalue())
            screens.close()
        finally:
            live.shutdown(app)
            app.extensions["workshop.store"].dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
