"""The one way a `WorkshopError` reaches the command line: its message on stderr and its exit
code, with no traceback. Every command and group of `python -m workshop` is built on these."""
from __future__ import annotations

import click

from .errors import WorkshopError


def failure(error: WorkshopError) -> click.ClickException:
    failed = click.ClickException(str(error))
    failed.exit_code = error.exit_code
    return failed


class WorkshopCommand(click.Command):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkshopError as error:
            raise failure(error) from None


class WorkshopCommands(click.Group):
    """A group whose commands (and sub-groups) turn a `WorkshopError` into `failure(error)`."""
    command_class = WorkshopCommand
    group_class = type  # a sub-group is a WorkshopCommands too

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkshopError as error:
            raise failure(error) from None
