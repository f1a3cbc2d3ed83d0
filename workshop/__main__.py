"""`python -m workshop ...`: the command line.

With gevent (the default async mode) the standard library must be patched before anything
else is imported, and only when serving: the other commands run plain.
"""
import os
import sys

if sys.argv[1:2] == ["run"] and os.environ.get("WORKSHOP_ASYNC_MODE", "gevent") == "gevent":
    from gevent import monkey

    monkey.patch_all()

from workshop.cli import main  # noqa: E402

main(prog_name="python -m workshop")
