"""The `frameworks` commands: list the available frameworks, show one, check framework files.

A click group registered in the main command line as `python -m workshop frameworks ...`.
Built-in frameworks come with the package; an organization's own files live in the data
folder's `frameworks/` subfolder (WORKSHOP_DATA_DIR/frameworks).
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from . import catalog
from .cli_errors import WorkshopCommands
from .config import Config
from .domain.framework import Framework


def _config() -> Config:
    return Config.from_env()


@click.group(cls=WorkshopCommands)
def frameworks() -> None:
    """List, show and check assessment frameworks."""


@frameworks.command("list")
def list_command() -> None:
    """List built-in and organization frameworks (invalid organization files are flagged)."""
    config = _config()
    lang = config.default_language
    rows = [("ID", "VERSION", "CRITERIA", "SOURCE", "TITLE")]
    broken = []
    for entry in catalog.list_frameworks(config.frameworks_dir):
        if entry.valid:
            fw = entry.framework
            rows.append((fw.id, fw.version, str(len(fw.criteria())), entry.source,
                         fw.title.get(lang)))
        else:
            rows.append((entry.id, "-", "-", entry.source, f"INVALID: {entry.path}"))
            broken.append(entry)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[4]]))
    click.echo(f"\nOrganization frameworks folder: {config.frameworks_dir}")
    for entry in broken:
        click.echo(f"\n{entry.path} cannot be used:")
        for line in entry.problems:
            click.echo(f"  {line}")


@frameworks.command("show")
@click.argument("framework_id")
@click.option("--json", "as_json", is_flag=True, help="Print the framework as JSON.")
@click.option("--lang", type=click.Choice(["th", "en"]), default=None,
              help="Language of the outline (default: WORKSHOP_LANGUAGE).")
def show_command(framework_id: str, as_json: bool, lang: str | None) -> None:
    """Show the framework FRAMEWORK_ID: its levels, categories and criteria."""
    config = _config()
    framework = catalog.get_framework(framework_id, config.frameworks_dir)
    if as_json:
        click.echo(json.dumps(framework.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(outline(framework, lang or config.default_language)))


def outline(framework: Framework, lang: str) -> list[str]:
    """A human-readable outline of a framework, one line per level, category and criterion."""
    lines = [f"{framework.title.get(lang)}",
             f"id {framework.id}, version {framework.version}, "
             f"{len(framework.categories)} categories, {len(framework.criteria())} criteria"
             + (", cumulative levels" if framework.levels_cumulative else ""),
             "", framework.description.get(lang), "", "Levels:"]
    for level in framework.levels:
        lines.append(f"  {level.value}  {level.label.get(lang)}: {level.descriptor.get(lang)}")
    for category in framework.categories:
        lines += ["", f"{category.code}  {category.title.get(lang)}"]
        for criterion in category.criteria:
            lines_count = sum(len(lines) for lines in criterion.checklists.values())
            notes = (["own level statements"] if criterion.levels else []) + (
                [f"{lines_count} checklist lines"] if lines_count else [])
            own = f" ({', '.join(notes)})" if notes else ""
            lines.append(f"    {criterion.code}  {criterion.title.get(lang)}{own}")
    return lines


@frameworks.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def check_command(files: tuple[Path, ...]) -> None:
    """Check framework FILES (YAML or JSON): one line per problem, exit 1 if any.

    Without FILES, checks the built-in frameworks and the organization folder.
    """
    if not files:
        files = tuple(catalog.framework_files(catalog.BUILTIN_DIR)
                      + catalog.framework_files(_config().frameworks_dir))
    failed = 0
    for path in files:
        problems = catalog.check_file(path)
        if problems:
            failed += 1
            for line in problems:
                click.echo(line)
        else:
            framework = catalog.load_file(path)
            click.echo(f"{path}: ok ({framework.id} {framework.version}, "
                       f"{len(framework.criteria())} criteria)")
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) invalid", err=True)
        raise click.exceptions.Exit(1)
