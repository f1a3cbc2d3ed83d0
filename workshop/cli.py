"""The command line: serve, manage the organizer account, inspect frameworks, create sessions.

Each command is a thin shell over a service or a catalog function; `python -m workshop --help`
lists them.
"""
from __future__ import annotations

import click

from .cli_exports import export_command, import_command
from .cli_frameworks import frameworks
from .cli_sessions import sessions
from .cli_errors import WorkshopCommands
from .config import Config


@click.group(cls=WorkshopCommands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Live workshop facilitation server."""


main.add_command(frameworks)
main.add_command(export_command)
main.add_command(import_command)
main.add_command(sessions)


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def run(host: str, port: int) -> None:
    """Serve the workshop and print the links to open."""
    from . import create_app
    from .extensions import socketio
    from .network import base_url
    from .services import accounts
    from .services import sessions as session_service
    from .services.units import unit_of_work
    from .links import LISTEN_HOST

    config = _checked_config()
    app = create_app(config)
    app.config[LISTEN_HOST] = host  # links for phones: the LAN address, or loopback only
    url = base_url(config.public_url, host, port)
    click.echo(f"Workshop server listening on {host}:{port} (async mode: {config.async_mode})")
    click.echo(f"  Data folder:           {config.data_dir}")
    click.echo(f"  Organizers and facilitators: {url}/organizer")
    click.echo(f"  Phones join at (LAN):  {url}/")
    with unit_of_work(app=app) as db:
        token = accounts.setup_token_if_needed(db, config.data_dir)
        for session in session_service.recent_unfinished(db):
            links = session_service.links(session, url, config.secret_key)
            click.echo(f"  Facilitator of “{session.title}” (join code {session.join_code}): "
                       f"{links['facilitator']}")
    if token:
        click.echo(f"  First visit: set the organizer password at {url}/organizer/setup?token={token}")
        click.echo("  (or run: python -m workshop set-password)")
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=config.async_mode == "threading",
                 log_output=False)


def _checked_config() -> Config:
    """The configuration, once the data folder takes writes (a clear message and exit 1 if not)."""
    from . import data_folder

    try:
        config = Config.from_env()
        warning = data_folder.check(config.data_dir)
    except OSError as problem:  # the secret key could not even be created
        raise click.ClickException(f"The data folder cannot be written: {problem}") from None
    if warning:
        click.echo(warning, err=True)
    return config


@main.command("nginx-config")
@click.option("--worker", "workers", multiple=True, required=True,
              help="host:port of one worker process (repeat for each).")
@click.option("--listen", default="80", show_default=True, help="What nginx listens on.")
def nginx_config(workers: tuple[str, ...], listen: str) -> None:
    """Print the nginx site (upstream and server blocks) for several worker processes."""
    from .nginx import site

    click.echo(site(list(workers), listen), nl=False)


@main.command("set-password")
@click.option("--username", default="organizer", show_default=True)
@click.password_option(prompt="New organizer password", help="Read from the prompt when omitted.")
def set_password(username: str, password: str) -> None:
    """Set (or reset) the organizer account's password."""
    from . import create_app
    from .services import accounts
    from .services.units import unit_of_work

    config = Config.from_env()
    app = create_app(config)
    with unit_of_work(app=app) as db:
        accounts.set_password(db, username, password)  # a WeakPassword: its message, exit 1
    accounts.forget_setup_token(config.data_dir)
    click.echo(f"Password set for {username}.")


@main.command()
@click.argument("session")
@click.option("--phones", default=20, show_default=True, type=click.IntRange(1, 5000),
              help="How many simulated phones join.")
@click.option("--url", default="http://127.0.0.1:5000", show_default=True,
              help="The running server to rehearse on.")
@click.option("--seed", type=int, default=None, help="Replay the same room (same votes, same delays).")
@click.option("--duration", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Stop after this many seconds (default: until Ctrl-C).")
@click.option("--think", type=click.FloatRange(min=0), default=6.0, show_default=True,
              help="Seconds the slowest phone takes to vote (the quickest: a tenth of it).")
def rehearse(session: str, phones: int, url: str, seed: int | None, duration: float | None,
             think: float) -> None:
    """Join SESSION (its join code, or its id in this data folder) with simulated phones that
    vote plausibly as the facilitator opens rounds, so a session can be tried alone."""
    from . import rehearse as rehearsal
    from .cli_store import join_code_of

    code = join_code_of(session)
    rehearsal.run(url.rstrip("/"), code, phones, seed, duration, echo=click.echo, think=think)
