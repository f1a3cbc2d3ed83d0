"""The command line: serve, manage the organizer account, inspect frameworks, create sessions.

Each command is a thin shell over a service or a catalog function; `python -m workshop --help`
lists them.
"""
from __future__ import annotations

import click

from .cli_frameworks import frameworks
from .cli_sessions import sessions
from .config import Config


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Live workshop facilitation server."""


main.add_command(frameworks)
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

    config = Config.from_env()
    app = create_app(config)
    app.config["WORKSHOP_LISTEN_HOST"] = host  # organizer links: LAN address or loopback
    url = base_url(config.public_url, host, port)
    click.echo(f"Workshop server listening on {host}:{port} (async mode: {config.async_mode})")
    click.echo(f"  Data folder:           {config.data_dir}")
    click.echo(f"  Organizers and facilitators: {url}/organizer")
    click.echo(f"  Phones join at (LAN):  {url}/")
    with app.extensions["workshop.store"].session() as db:
        token = accounts.setup_token_if_needed(db, config.data_dir)
    if token:
        click.echo(f"  First visit: set the organizer password at {url}/organizer/setup?token={token}")
        click.echo("  (or run: python -m workshop set-password)")
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=config.async_mode == "threading",
                 log_output=False)


@main.command("set-password")
@click.option("--username", default="organizer", show_default=True)
@click.password_option(prompt="New organizer password", help="Read from the prompt when omitted.")
def set_password(username: str, password: str) -> None:
    """Set (or reset) the organizer account's password."""
    from . import create_app
    from .services import accounts

    config = Config.from_env()
    app = create_app(config)
    try:
        with app.extensions["workshop.store"].session() as db:
            accounts.set_password(db, username, password)
    except accounts.WeakPassword as problem:
        raise click.ClickException(str(problem)) from None
    accounts.forget_setup_token(config.data_dir)
    click.echo(f"Password set for {username}.")
