"""Interviews in: ``import`` (transcripts, surveys, coded spreadsheets) and ``anonymise``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.common import open_project, path_option, project_argument
from toolkit.cli.errors import ToolkitCommand, fresh_folder, grouped
from toolkit.wording import plural

__all__ = ["anonymise", "import_"]


@click.command("import", cls=ToolkitCommand)
@click.argument("source", metavar="SRC", type=click.Path(path_type=Path))
@project_argument
@click.option("--strict", is_flag=True, help="Import nothing if any file is bad.")
@click.option(
    "--no-merge-cues",
    is_flag=True,
    help="Keep each subtitle cue as its own segment instead of merging a speaker's cues.",
)
@click.option("--id-column", help="Survey files: the column holding each response's id.")
@click.option("--text-column", help="Survey files: the column holding the free text.")
@click.option(
    "--coder",
    help="SRC is a spreadsheet that already holds codes: import them as this coder's codings.",
)
@click.option(
    "--codes",
    "code_columns",
    multiple=True,
    metavar="COLUMN",
    help="With --coder: a column holding codes (repeat for each; replaces the detection).",
)
def import_(
    source: Path,
    project_dir: Path,
    strict: bool,
    no_merge_cues: bool,
    id_column: str | None,
    text_column: str | None,
    coder: str | None,
    code_columns: tuple[str, ...],
) -> None:
    """Copy the transcripts in SRC (a file or folder) into the project DIR and check them.

    Reads .txt, .md, .docx, .vtt (Zoom, Teams, YouTube), .srt, Otter.ai
    exports and survey .csv/.xlsx/.parquet files (Parquet is copied as it
    is, and needs the scale extra).  Each file is read before it is
    copied into DIR/interviews/, so a bad file never enters the project; a
    participants.csv in SRC is copied too.  DIR becomes a project (with a
    project.yml) if it is not one yet.  Prints one line per file: what was
    found (format, encoding, speakers, segments) or what is wrong and how to
    fix it.  Exits with status 1 if any file was not imported.

    With --coder NAME, SRC is one .csv/.xlsx of coded responses: one 0/1 (or
    x, TRUE, yes) column per code, 'Code 1', 'Code 2' ... columns, or a
    'Codes' column separated by ';'.  'parent->child', 'parent > child' and
    'parent/child' are codes with parents; new codes join codebook.yml.  The
    codings go to codings/NAME.csv; a second coder's copy adds to the same
    responses, matched by id.  Yes/no columns whose header ends in '?' or
    names a score, rating, sentiment, consent or identifiable information
    stay attributes unless named with --codes.
    """
    if code_columns and not coder:
        raise click.UsageError("--codes needs --coder NAME (whose codes they are)")
    from toolkit.model.coded_import import import_coded_sheet
    from toolkit.model.importing import import_interviews

    report = None
    if coder:
        opts = {"id_column": id_column, "text_column": text_column}
        with fresh_folder(project_dir):
            done = import_coded_sheet(source, project_dir, coder=coder, codes=code_columns, **opts)
        click.echo("\n".join(done.lines))
    else:
        with fresh_folder(project_dir):
            report = import_interviews(
                source,
                project_dir,
                strict=strict,
                merge_cues=not no_merge_cues,
                id_column=id_column,
                text_column=text_column,
            )
        for row in report.itertuples():
            found = f" ({row.kind}, {row.encoding})" if row.encoding else ""
            click.echo(f"{row.status:>9}  {row.file}{found}: {row.detail}")
    project = open_project(project_dir)
    click.echo(
        f"{project_dir} now has {plural(len(project.documents), 'interview')} and "
        f"{plural(len(project.segments), 'segment')}."
    )
    people = project.report[project.report["kind"] == "participants"]
    for line in grouped(zip(people["interview_id"], people["detail"], strict=True)):
        click.echo(f"  warning  {line}")
    failed = 0 if report is None else int((report["status"] == "error").sum())
    if failed:
        click.echo(
            f"{plural(failed, 'file')} not imported: fix "
            + ("it" if failed == 1 else "them")
            + " and run the command again.",
            err=True,
        )
        sys.exit(1)


@click.command(cls=ToolkitCommand)
@project_argument
@click.argument("target", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--name", "names", multiple=True, help="Another person's name to replace (repeat the option)."
)
@path_option("--names-file", "A text file of names to replace, one per line.", exists=True)
@path_option("--key", "Also write the key (originals to pseudonyms) to this CSV, outside OUT.")
def anonymise(
    project_dir: Path,
    target: Path,
    names: tuple[str, ...],
    names_file: Path | None,
    key: Path | None,
) -> None:
    """Write a pseudonymised copy of the project in DIR to the new folder OUT.

    Replaces people's names (participants.csv's names and the speaker labels
    holding them, the people in stakeholders.csv, connections.csv and
    votes.csv, plus --name and --names-file), e-mail addresses, UK phone numbers and
    postcodes, NHS numbers with a valid check digit, and dates of birth, with
    the same pseudonym for the same person everywhere.  DIR is never changed.
    OUT/pseudonymisation-audit.csv lists every change (kind, file, line,
    replacement) without the original words; rows marked 'review' need a
    person to check them.
    """
    from toolkit.analysis.anonymise.project import pseudonymise_project, read_names_file

    listed = [*names, *(read_names_file(names_file) if names_file is not None else [])]
    with fresh_folder(target):
        audit = pseudonymise_project(project_dir, target, listed, key=key)
    done = audit[audit["action"] == "replaced"]
    click.echo(f"Wrote a pseudonymised copy of {project_dir} to {target}. Replaced:")
    for kind, count in done.groupby("kind").size().items():
        click.echo(f"  {count:>6,}  {kind.replace('_', ' ')}")
    cleared = audit[audit["action"] == "cleared"]
    if len(cleared):
        click.echo(f"Cleared the author of {plural(cleared['file'].nunique(), 'Word document')}.")
    left_out = audit[audit["action"] == "not copied"]
    unread = "the toolkit cannot read them, so cannot pseudonymise them."
    for line in grouped((file, unread) for file in left_out["file"]):
        click.echo(f"Left out {line}")
    review = audit[audit["action"] == "review"]
    click.echo(f"The audit is {target / 'pseudonymisation-audit.csv'}.")
    if len(review):
        are = "is" if len(review) == 1 else "are"
        click.echo(
            f"{plural(len(review), 'place')} {are} marked 'review' in the audit: check "
            + ("it" if len(review) == 1 else "them")
            + " by hand."
        )
    if key is not None:
        click.echo(f"The key is {key}: keep it apart from the pseudonymised data.")
    click.echo("Read the transcripts through before sharing: names you did not list stay in.")
