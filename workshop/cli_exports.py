"""The `export` and `import` commands: a session out to a file, an archive back into a server.

    python -m workshop export SESSION --format json|csv|xlsx|docx|pdf [--out FILE] [--what plan|votes|checklist|indicators]
                                      [--thai-digits]
    python -m workshop import FILE [--new-id]

Both open the server's own database (Config.from_env(), the same data folder the server uses).
`--out -` writes to standard output.
"""
from __future__ import annotations

from pathlib import Path

import click

from .cli_errors import WorkshopCommand
from .cli_store import database, opened_store

FORMATS = ("json", "csv", "xlsx", "docx", "pdf")


def _render(export_data: dict, fmt: str, what: str, thai_digits: bool = False) -> bytes:
    if fmt == "json":
        from .exports.archive import export_archive
        return export_archive(export_data)
    if fmt == "csv":
        from .exports.csv_export import export_csv
        return export_csv(export_data, what)
    if fmt == "docx":
        from .exports.docx_export import export_docx
        return export_docx(export_data, thai_digits=thai_digits)
    if fmt == "pdf":
        from .exports.pdf_export import export_pdf
        return export_pdf(export_data)
    from .exports.xlsx import export_xlsx
    return export_xlsx(export_data)


def default_name(session_id: str, fmt: str, what: str) -> str:
    """`<session>.json`, `<session>-plan.csv`, `<session>-votes.csv`, `<session>.xlsx`,
    `<session>.docx` (the plan), `<session>.pdf` (the results report)."""
    return f"{session_id}-{what}.csv" if fmt == "csv" else f"{session_id}.{fmt}"


@click.command("export", cls=WorkshopCommand)
@click.argument("session_id", metavar="SESSION")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json: the complete archive; csv: the plan or the votes; xlsx: every sheet; "
                   "docx: the development plan (Word); pdf: the results report.")
@click.option("--out", "out", type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write (default: named after the session, in this folder; - for stdout).")
@click.option("--what", type=click.Choice(("plan", "votes", "checklist", "indicators")), default="plan",
              show_default=True,
              help="For csv: the draft plan, one row per vote, one row per checklist line, or the "
                   "results items' indicators.")
@click.option("--thai-digits", is_flag=True,
              help="For docx: print every number in Thai digits (๐-๙), page numbers included.")
def export_command(session_id: str, fmt: str, out: str | None, what: str,
                   thai_digits: bool) -> None:
    """Export a session as a JSON archive, a CSV table, an Excel workbook, the plan as a Word
    document or the results report as a PDF."""
    from .services.export_data import read_export_data

    with database() as db:
        export_data = read_export_data(db, session_id)  # SessionNotFound: its message, exit 1
    data = _render(export_data, fmt, what, thai_digits)
    if out == "-":
        with click.open_file("-", "wb") as stdout:
            stdout.write(data)
        return
    path = Path(out or default_name(session_id, fmt, what))
    path.write_bytes(data)
    click.echo(f"Wrote {path} ({len(data):,} bytes).")


@click.command("import", cls=WorkshopCommand)
@click.argument("archive_file", metavar="FILE",
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--new-id", is_flag=True,
              help="Import as a new session (new id and join code), e.g. when the id exists here.")
def import_command(archive_file: Path, new_id: bool) -> None:
    """Restore a session from a JSON archive made by `export --format json`."""
    from .services.archive_import import import_archive
    from .exports.archive_format import ArchiveRefused

    with opened_store() as store:
        try:
            imported = import_archive(store, archive_file.read_bytes(), new_id=new_id)
        except ArchiveRefused as refused:
            raise click.ClickException(f"{archive_file}: {refused}") from None
    click.echo(f"Imported session {imported.session_id} (join code {imported.join_code}).")
    if imported.new_join_code and not imported.renamed:
        click.echo("The archive's join code is used by another session here: it got a new one.")
