"""The `sessions` commands: create a workshop session and list them, from the command line.

`python -m workshop sessions create --framework pmqa-4.0 --title "..." [--json]` prints the
facilitator, projector and join links and the join code, exactly as the dashboard shows them;
`sessions list [--json]` shows every session with its counts; `sessions delete-workshop ID`
deletes a workshop of working groups, every group with it, after a confirmation (or `--yes`).
Bad input is reported in full, exits non-zero and creates (or deletes) nothing.
"""
from __future__ import annotations

import json
import re
from datetime import date

import click

from . import catalog
from .cli_errors import WorkshopCommands
from .cli_store import database, found
from .config import Config
from .domain.consensus import DEFAULT_MAX_IQR, DEFAULT_MIN_ADJACENT_SHARE, Thresholds
from .domain.dates import DateInvalid, parse_day
from .network import base_url
from .services import sessions as session_service
from .services.groups import GroupSpec
from .services.sessions import SessionSettings

ROLE_EXAMPLES = {"th": ("ผู้บริหาร", "หัวหน้างาน", "เจ้าหน้าที่"), "en": ("Executive", "Manager", "Staff")}


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(code for code in re.split(r"[\s,;]+", text or "") if code)


def _roles(text: str | None, language: str) -> tuple[str, ...]:
    if text is None:
        return ROLE_EXAMPLES[language]
    return tuple(role.strip() for role in text.split(",") if role.strip())


def _date(text: str | None) -> date | None:
    """The day typed; a Buddhist-era year is converted (2569-05-09 is 9 May 2026 CE)."""
    if not text:
        return None
    try:
        return parse_day(text)
    except DateInvalid as invalid:
        if invalid.reason == "not_a_date":
            raise click.BadParameter(f"{text!r} is not a date: use YYYY-MM-DD (a Buddhist-era "
                                     f"year such as 2569-05-09 is read too)",
                                     param_hint="--date") from None
        raise click.BadParameter(f"{text!r}: the year is neither Buddhist era (2400-2743) nor "
                                 f"common era (1900-2200)", param_hint="--date") from None


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=WorkshopCommands)
def sessions() -> None:
    """Create and list workshop sessions."""


@sessions.command("create")
@click.option("--framework", "framework_id", required=True, help="Framework id (see: frameworks list).")
@click.option("--title", required=True, help="The session's title.")
@click.option("--organization", default="", help="The organization assessed.")
@click.option("--date", "held_on", default=None, metavar="YYYY-MM-DD",
              help="Day of the workshop (a Buddhist-era year is converted: 2569-05-09).")
@click.option("--language", type=click.Choice(["th", "en"]), default=None,
              help="Default language of phones and projector (default: WORKSHOP_LANGUAGE).")
@click.option("--agenda", default=None, metavar="CODES",
              help="Criterion codes in order, comma-separated (default: every criterion).")
@click.option("--named", is_flag=True, help="Participants may give their name (default: anonymous).")
@click.option("--roles", default=None, metavar='"A,B"',
              help='Roles offered to participants, comma-separated ("" for none; default: examples).')
@click.option("--results", "results_mode", type=click.Choice(["hidden", "live"]), default="hidden",
              show_default=True, help="Projector results: hidden until revealed, or live.")
@click.option("--max-iqr", type=float, default=None, help="Consensus: largest interquartile range.")
@click.option("--min-adjacent-share", type=float, default=None,
              help="Consensus: smallest share (0-1) of votes on two neighbouring levels.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port the server runs on, for the links (WORKSHOP_PUBLIC_URL wins).")
@click.option("--group", "groups", multiple=True, metavar='"NAME: CODES"',
              help='A working group and its categories or items, e.g. "Group 1: 1, 2.1"; give '
                   'it two or more times for one workshop of several groups (instead of --agenda).')
@click.option("--json", "as_json", is_flag=True, help="Print the links as JSON.")
def create_command(framework_id, title, organization, held_on, language, agenda, named, roles,
                   results_mode, max_iqr, min_adjacent_share, port, groups, as_json) -> None:
    """Create a session (or, with --group, a workshop of working groups) and print its
    facilitator, projector and join links and its code."""
    config = Config.from_env()
    language = language or config.default_language
    framework = catalog.get_framework(framework_id, config.frameworks_dir)
    try:
        thresholds = Thresholds(
            max_iqr=DEFAULT_MAX_IQR if max_iqr is None else max_iqr,
            min_adjacent_share=(DEFAULT_MIN_ADJACENT_SHARE if min_adjacent_share is None
                                else min_adjacent_share))
    except ValueError as problem:
        raise click.ClickException(str(problem)) from None
    settings = SessionSettings(
        title=title, organization=organization, held_on=_date(held_on), language=language,
        agenda=_codes(agenda), anonymous=not named, roles=_roles(roles, language),
        results_mode=results_mode, thresholds=thresholds)
    if groups:
        if agenda:
            raise click.ClickException("give either --agenda or --group, not both: each group "
                                       "has its own agenda")
        _create_workshop(config, framework, settings, groups, port, as_json)
        return
    problems = settings.problems(framework)
    if problems:
        raise click.ClickException("the session was not created:\n  " + "\n  ".join(problems))
    with database() as db:
        created = session_service.create_session(db, framework, settings)
        links = session_service.links(created, base_url(config.public_url, "0.0.0.0", port),
                                      config.secret_key)
        result = {"id": created.id, "title": created.title, "framework": framework.id,
                  "agenda": list(created.agenda), **links}
    if as_json:
        _echo_json(result)
        return
    click.echo(f"Session {result['id']}: {result['title']} ({framework.id}, "
               f"{len(result['agenda'])} criteria)")
    click.echo(f"  Join code:        {result['join_code']}")
    click.echo(f"  Join link:        {result['join']}")
    click.echo(f"  Projector link:   {result['projector']}")
    click.echo(f"  Facilitator link: {result['facilitator']}  (secret: give it only to the facilitator)")


def _group_specs(texts: tuple[str, ...]) -> list[GroupSpec]:
    specs = []
    for text in texts:
        name, colon, codes = text.partition(":")
        if not colon:
            raise click.BadParameter(f"{text!r}: write the group's name, a colon, then its "
                                     f"categories or items", param_hint="--group")
        specs.append(GroupSpec(name.strip(), _codes(codes)))
    return specs


def _create_workshop(config, framework, settings, texts, port, as_json) -> None:
    """A workshop of working groups: every group's links, and the plenary view's link."""
    from .services import groups as group_service

    specs = _group_specs(texts)
    problems = settings.problems(framework) + group_service.group_problems(framework, specs)
    if problems:
        raise click.ClickException("the workshop was not created:\n  " + "\n  ".join(problems))
    base = base_url(config.public_url, "0.0.0.0", port)
    with database() as db:
        workshop = group_service.create_workshop(db, framework, settings, specs)
        result = {"workshop": workshop.id, "title": workshop.title, "framework": framework.id,
                  "plenary": group_service.plenary_link(workshop, base, config.secret_key),
                  "groups": [{"name": g.group_name, "id": g.id, "agenda": list(g.agenda),
                              **session_service.links(g, base, config.secret_key)}
                             for g in workshop.groups]}
    if as_json:
        _echo_json(result)
        return
    click.echo(f"Workshop {result['workshop']}: {result['title']} ({framework.id}, "
               f"{len(result['groups'])} working groups)")
    for group in result["groups"]:
        click.echo(f"- {group['name']} ({', '.join(group['agenda'])})")
        click.echo(f"  Join code:        {group['join_code']}")
        click.echo(f"  Join link:        {group['join']}")
        click.echo(f"  Projector link:   {group['projector']}")
        click.echo(f"  Facilitator link: {group['facilitator']}  (secret)")
    click.echo(f"  Plenary link:     {result['plenary']}")


@sessions.command("delete-workshop")
@click.argument("workshop_id")
@click.option("--yes", is_flag=True, help="Do not ask for a confirmation.")
def delete_workshop_command(workshop_id: str, yes: bool) -> None:
    """Delete a workshop of working groups: every group with its participants, votes,
    decisions, ideas and plan, and the settlements. Other sessions stay."""
    from .services import groups as group_service

    with database() as db:
        workshop = found(group_service.get(db, workshop_id),
                         f"no workshop {workshop_id!r}: nothing was deleted")
        names = ", ".join(g.group_name or g.id for g in workshop.groups)
        if not yes:
            click.confirm(f"Delete {workshop.title!r} and its {len(workshop.groups)} working "
                          f"groups ({names}) with everything that happened in them?", abort=True)
        group_service.delete_workshop(db, workshop.id)
    click.echo(f"Deleted workshop {workshop_id} and its working groups ({names}).")


@sessions.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the sessions as JSON.")
def list_command(as_json: bool) -> None:
    """List every session: date, status, participants and criteria decided."""
    from .services.dashboard import session_rows

    with database() as db:
        rows = session_rows(db)
    if as_json:
        _echo_json([row.to_dict() for row in rows])
        return
    if not rows:
        click.echo("No sessions yet. Create one: python -m workshop sessions create --help")
        return
    table = [("ID", "CODE", "DATE", "STATUS", "FRAMEWORK", "PEOPLE", "DECIDED", "TITLE")]
    for row in rows:
        table.append((row.id, row.join_code, row.held_on.isoformat() if row.held_on else "-",
                      row.status, row.framework_id, str(row.participants),
                      f"{row.decided}/{row.agenda_size}", row.title))
    widths = [max(len(line[i]) for line in table) for i in range(7)]
    for line in table:
        click.echo("  ".join([*(cell.ljust(w) for cell, w in zip(line, widths)), line[7]]))
