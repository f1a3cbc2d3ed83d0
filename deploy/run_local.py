"""deploy/run-local: the scale-out set on this machine, in one command (docs/deploy.md).

Starts Redis, PostgreSQL, N one-worker gunicorn processes (gevent) and nginx on loopback
ports, runs the migrations once, prints the links, and stops everything on Ctrl-C. Its files
(database, logs, nginx.conf, the shared secret key) go in --folder, kept between runs
except the throw-away PostgreSQL and Redis, which start empty each time.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.cluster import Cluster, free_port  # noqa: E402


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="deploy/run-local", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx port (default 8080)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="where data and logs go (default: a new temporary folder)")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    folder = (args.folder or Path(tempfile.mkdtemp(prefix="workshop-cluster-"))).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder / "pg", ignore_errors=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    url = f"http://127.0.0.1:{args.port}"  # what nginx will listen on
    cluster = Cluster(folder, {})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        redis_url = cluster.start_redis(free_port())
        database_url = cluster.start_postgres(free_port())
        cluster.env = {**os.environ, "WORKSHOP_DATA_DIR": str(folder / "data"),
                       "WORKSHOP_DATABASE_URL": database_url, "WORKSHOP_REDIS_URL": redis_url,
                       "WORKSHOP_SECRET_KEY": key_file.read_text().strip(),
                       "WORKSHOP_PUBLIC_URL": url}
        cluster.migrate()
        for _ in range(args.workers):
            cluster.start_worker(free_port())
        cluster.start_nginx(args.port)
        print(f"Workshop on {args.workers} workers behind nginx: {url}/")
        print(f"  Organizers:  {url}/organizer   (first visit: set the password with")
        print(f"    WORKSHOP_DATA_DIR={folder / 'data'} WORKSHOP_DATABASE_URL={database_url} \\\n"
              f"    {sys.executable} -m workshop set-password --username USER)")
        print(f"  Workers:     {', '.join(w.address for w in cluster.workers)}")
        print(f"  Redis:       {redis_url}")
        print(f"  PostgreSQL:  {database_url}")
        print(f"  Logs:        {folder}   (Ctrl-C stops everything)")
        while all(p.poll() is None for p in cluster.processes):
            time.sleep(1)
        print("a process of the set stopped; see the logs in", folder, file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
