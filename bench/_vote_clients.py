"""Simulated phones for bench/async_modes.py: many Socket.IO clients in one process.

Driven over stdin/stdout by the benchmark so that several of these processes
can be stepped through the same phases together. Each line read is a command,
each line written is one JSON object:

    ready                      (printed once imports are done)
    connect -> {"phase": "connected", ...}   open --count WebSocket clients
    vote    -> {"phase": "voted", ...}       each client casts --votes votes,
                                             waiting for each acknowledgement
    quit    -> {"phase": "closed", ...}      disconnect everything and exit

Clients are python-socketio AsyncClient objects on aiohttp, WebSocket
transport only, sharing one aiohttp session.
"""
import argparse
import asyncio
import collections
import resource
import sys
import time

import aiohttp
import socketio

from _harness import error_name, say


class Crowd:
    """A group of simulated phones (and optionally one facilitator screen)."""

    def __init__(self, args):
        self.args = args
        self.http = None
        self.clients = []
        self.errors = collections.Counter()
        self.tallies = 0
        self.screen = None

    def _new_client(self):
        return socketio.AsyncClient(reconnection=False, handle_sigint=False,
                                    http_session=self.http)

    async def _open(self, gate, auth=None):
        async with gate:
            sio = self._new_client()
            try:
                await asyncio.wait_for(
                    sio.connect(self.args.url, transports=["websocket"],
                                auth=auth, wait_timeout=self.args.timeout),
                    self.args.timeout)
            except Exception as exc:  # recorded, not raised: we count failures
                self.errors["connect " + error_name(exc)] += 1
                return None
            return sio

    async def connect(self):
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        self.http = aiohttp.ClientSession(connector=connector)
        gate = asyncio.Semaphore(self.args.concurrency)
        started = time.perf_counter()
        if self.args.facilitator:
            self.screen = await self._open(gate, auth={"role": "facilitator"})
            if self.screen is not None:
                self.screen.on("tally", self._on_tally)
        opened = await asyncio.gather(
            *(self._open(gate) for _ in range(self.args.count)))
        self.clients = [sio for sio in opened if sio is not None]
        return {"phase": "connected", "ok": len(self.clients),
                "failed": self.args.count - len(self.clients),
                "seconds": time.perf_counter() - started,
                "errors": dict(self.errors)}

    async def _on_tally(self, data):
        self.tallies += 1

    async def _cast(self, index, sio, latencies):
        participant = f"p{self.args.first + index}"
        for number in range(self.args.votes):
            payload = {"round": "r1", "participant": participant,
                       "level": (index + number) % 5}
            started = time.perf_counter()
            try:
                ack = await sio.call("vote", payload, timeout=self.args.timeout)
            except Exception as exc:
                self.errors["vote " + error_name(exc)] += 1
                continue
            if isinstance(ack, dict) and ack.get("ok") is True:
                latencies.append(time.perf_counter() - started)
            else:
                self.errors["vote not ok"] += 1

    async def vote(self):
        latencies = []
        self.errors.clear()
        tallies_before = self.tallies
        started = time.perf_counter()
        await asyncio.gather(*(self._cast(i, sio, latencies)
                               for i, sio in enumerate(self.clients)))
        return {"phase": "voted", "acked": len(latencies),
                "seconds": time.perf_counter() - started,
                "latencies": [round(x, 6) for x in latencies],
                "tallies": self.tallies - tallies_before,
                "errors": dict(self.errors)}

    async def close(self):
        everyone = list(self.clients)
        if self.screen is not None:
            everyone.append(self.screen)
        try:
            await asyncio.wait_for(
                asyncio.gather(*(sio.disconnect() for sio in everyone),
                               return_exceptions=True), self.args.timeout)
        except asyncio.TimeoutError:
            pass
        if self.http is not None:
            await self.http.close()
        return {"phase": "closed"}


async def _serve_commands(crowd):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader),
                                 sys.stdin)
    say({"phase": "ready"})
    actions = {"connect": crowd.connect, "vote": crowd.vote}
    while True:
        line = (await reader.readline()).decode().strip()
        if line in actions:
            say(await actions[line]())
        else:  # "quit" or end of input: the benchmark is done with us
            say(await crowd.close())
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--first", type=int, default=0,
                        help="number of the first participant in this process")
    parser.add_argument("--votes", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=50,
                        help="connection attempts in flight at once")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--facilitator", action="store_true",
                        help="also open one facilitator screen that counts tallies")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(_serve_commands(Crowd(args)))


if __name__ == "__main__":
    main()
