"""`python -m workshop ...`: the command line.

With gevent (the default async mode) the standard library must be patched before anything
else is imported, and only when serving: the other commands run plain.
"""
import sys

from workshop.config import async_mode_from_env

if sys.argv[1:2] == ["run"] and async_mode_from_env() == "gevent":
    from gevent import monkey

    monkey.patch_all()

from workshop.cli import main  # noqa: E402

main(prog_name="python -m workshop")
