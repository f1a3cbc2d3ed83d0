"""Exports rendered off the server's event loop, in a child process of their own.

WeasyPrint, matplotlib, python-docx and openpyxl are CPU-bound and hold the GIL: rendered on the
gevent hub (or in gevent's thread pool, which shares the GIL), one PDF stalled every socket of
the server for over a second. The web server instead hands the session export data (plain,
JSON-able data, see services/export_data.py) to a long-lived child, `python -m workshop.exports.worker`, and
waits on its pipe; under gevent that wait yields to every other connection, so phones keep
voting while a report renders on the other core.

One child renders one export at a time; concurrent downloads queue on a lock. The child is
started on the first download, and a child that died is replaced on the next one. It exits
when its input closes (the server stopped). An export that takes longer than its time limit
(`WORKSHOP_EXPORT_TIMEOUT`, config.py) is abandoned: the child is killed (a watchdog timer,
a greenlet under gevent), the download raises `ExportTimedOut` and the next one starts a
fresh child.

Wire format, both ways: an 8-byte big-endian length, then that many bytes. A request is the
JSON of {"module", "function", "argument", "export_data"}; an answer is one status byte
(b"+" the export's bytes follow, b"-" an error message follows) and then the body.
"""
from __future__ import annotations

import atexit
import importlib
import json
import os
import struct
import subprocess
import sys
import threading
from typing import Any, BinaryIO

from ..errors import WorkshopError

HEADER = struct.Struct(">Q")


class ExportFailed(WorkshopError, RuntimeError):
    """The export could not be rendered (the message says why; details are in the server log)."""


class ExportTimedOut(ExportFailed):
    """The export ran past its time limit; its process was killed, nothing was sent."""


def _write(stream: BinaryIO, body: bytes) -> None:
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def _read(stream: BinaryIO) -> bytes | None:
    """One framed message, or None when the other side has gone."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    return body if len(body) == size else None


class Renderer:
    """The server's side: one child process, used by one download at a time."""

    def __init__(self, command: list[str] | None = None) -> None:
        self._lock = threading.Lock()  # a gevent lock once the server has patched threading
        self._child: subprocess.Popen | None = None
        self._command = command or [sys.executable, "-m", "workshop.exports.worker"]

    def _started(self) -> subprocess.Popen:
        if self._child is None or self._child.poll() is not None:
            self._child = subprocess.Popen(self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        return self._child

    def render(self, module: str, function: str, argument: Any, export_data: dict,
               timeout: float) -> bytes:
        request = json.dumps({"module": module, "function": function, "argument": argument,
                              "export_data": export_data}, ensure_ascii=False).encode("utf-8")
        with self._lock:
            child = self._started()
            overdue = threading.Event()
            watchdog = threading.Timer(timeout, lambda: (overdue.set(), _kill(child)))
            watchdog.daemon = True
            watchdog.start()
            try:
                _write(child.stdin, request)
                answer = _read(child.stdout)
            except (BrokenPipeError, OSError):
                answer = None
            except BaseException:
                # Interrupted mid-exchange (the download's greenlet killed, a timeout): the
                # child's answer would be read by the next download, another session's export.
                self.stop()
                raise
            finally:
                watchdog.cancel()
            if answer is None or overdue.is_set():
                self.stop()
                if overdue.is_set():
                    raise ExportTimedOut(f"the export took longer than {timeout:g} s and was stopped")
                raise ExportFailed("the export process stopped; see the server log")
        if answer[:1] != b"+":
            raise ExportFailed(answer[1:].decode("utf-8", "replace"))
        return answer[1:]

    def stop(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            _kill(child)


def _kill(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.wait()


RENDERER = Renderer()
atexit.register(RENDERER.stop)


def render(module: str, function: str, argument: Any, export_data: dict,
           timeout: float) -> bytes:
    """`workshop.exports.<module>.<function>(export_data[, argument])` rendered in the child,
    abandoned (`ExportTimedOut`) after `timeout` seconds."""
    return RENDERER.render(module, function, argument, export_data, timeout)


def _run_one(request: dict) -> bytes:
    module = importlib.import_module(f"workshop.exports.{request['module']}")
    function = getattr(module, request["function"])
    argument = request["argument"]
    return function(request["export_data"], argument) if argument else function(request["export_data"])


def serve(inbox: BinaryIO, outbox: BinaryIO) -> None:
    """The child's loop: render each request, answer, until the input closes."""
    while (message := _read(inbox)) is not None:
        try:
            answer = b"+" + _run_one(json.loads(message))
        except Exception as failed:  # reported to the server, which answers 500
            import traceback
            traceback.print_exc()
            answer = b"-" + f"{type(failed).__name__}: {failed}".encode("utf-8", "replace")
        _write(outbox, answer)


def main() -> None:
    # The answers get a private copy of stdout; anything a library prints goes to stderr.
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, outbox)


if __name__ == "__main__":
    main()
