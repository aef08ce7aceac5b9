"""The ``codesign-toolkit`` command line: a thin layer over the library.

Every command calls the same public functions a notebook would.  A
:class:`~toolkit.errors.ToolkitError` is printed as a plain message (no
traceback), naming options as typed, and the command exits with status 1
(see :mod:`toolkit.cli_errors`).  Option values are checked by their click
types before a command prints anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from toolkit import __version__
from toolkit.cli_errors import ToolkitGroup, fresh_folder, grouped
from toolkit.cli_refi import refi
from toolkit.cli_scale import engine_options, run_on_dask
from toolkit.errors import ToolkitError
from toolkit.wording import plural

__all__ = ["cli", "main"]

# Nothing here imports pandas, altair or the library at module level: each command
# imports what it needs when it runs, so '--help' and '--version' answer at once.


def open_project(path: Path) -> Any:
    """Open the project folder ``path`` (the model is imported only when a command runs)."""
    from toolkit.model.project import open_project as open_folder

    return open_folder(path)


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="codesign-toolkit")
def cli() -> None:
    """Follow the Energy: code interviews, check agreement, chart themes, map energy.

    Every command works on a project folder (see 'codesign-toolkit new') and
    runs entirely on this machine: no data is sent anywhere.
    """


cli.add_command(refi)  # 'refi import' and 'refi export' (toolkit.cli_refi)


def project_argument(func: Callable) -> Callable:
    """Add a DIR argument naming a project folder."""
    return click.argument(
        "project_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path)
    )(func)


@cli.command()
@project_argument
def info(project_dir: Path) -> None:
    """Summarise the project in DIR: its interviews, codings and energy data.

    In a notebook: print(tk.project_summary("DIR")).
    """
    from toolkit.model.summary import project_summary

    click.echo(str(project_summary(project_dir)))


@cli.command()
@click.argument("project_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--sample", is_flag=True, help="Copy the fictional sample project instead.")
@click.option("--name", help="The project's name (default: the folder's name).")
def new(project_dir: Path, sample: bool, name: str | None) -> None:
    """Create a project folder DIR from the templates (or the sample project).

    The folder gets project.yml, participants/stakeholders/connections/votes
    and actions CSV files with their header rows, summary.md for the
    report's key messages, a starter codebook, and empty interviews/,
    codings/ and output/ folders.  Put your transcripts in interviews/ and
    you are ready to go.
    """
    from toolkit.model.project import new_project

    with fresh_folder(project_dir):  # a folder half-made by a failed command is removed
        folder = new_project(project_dir, sample=sample, name=name)
    what = "a copy of the fictional sample project" if sample else "a new project"
    click.echo(f"Created {what} in {folder}")
    if sample:
        # The sample has its interviews, codings and energy data already: try the commands.
        click.echo(
            f"Next: try 'codesign-toolkit info {folder}', then 'codesign-toolkit report {folder}' "
            f"or 'codesign-toolkit energy {folder}'."
        )
    else:
        click.echo(
            f"Next: put transcripts in {folder / 'interviews'} and run "
            f"'codesign-toolkit info {folder}'."
        )


@cli.command()
@project_argument
@click.option(
    "--unit",
    type=click.Choice(["segment", "interview", "segments", "interviews"]),
    default="segment",
    show_default=True,
    help="What the coders are compared on: each segment, or each whole interview.",
)
@click.option("--coder", "coders", multiple=True, help="A coder to compare (repeat; default: all).")
@click.option("--include-rules", is_flag=True, help="Compare the rule-based coding as a coder too.")
@click.option(
    "--n-boot",
    type=click.IntRange(min=50),
    default=1000,
    show_default=True,
    help="Bootstrap replicates for the CI (50 or more).",
)
@click.option("--seed", default=0, show_default=True, help="Seed for the bootstrap.")
@click.option(
    "--by",
    metavar="ATTRIBUTE",
    help="Measure each code within each value of this attribute (question, or a participants "
    "column).",
)
def agreement(
    project_dir: Path,
    unit: str,
    coders: tuple[str, ...],
    include_rules: bool,
    n_boot: int,
    seed: int,
    by: str | None,
) -> None:
    """Check agreement between the coders of the project in DIR, code by code.

    Prints percent agreement, kappa (Cohen's for two coders, Fleiss' for
    more) and Krippendorff's alpha with its 95% confidence interval for each
    code and for all codes together, with how often each code was used.
    A segment a coder coded without applying a code counts as "not that
    code".  With --by question, each code is measured within each question,
    and the pooled rows count a code only on the questions where someone
    used it (pooling answers to other questions inflates kappa).  The table
    is also written to DIR/output/agreement.csv (with a column for --by).
    """
    from toolkit.analysis.agreement.display import agreement_text
    from toolkit.analysis.agreement.reliability import reliability
    from toolkit.io.files import write_table

    project = open_project(project_dir)
    table = reliability(
        project.codings,
        project.segments,
        unit=unit,
        coders=coders or None,
        include_rules=include_rules,
        codebook=project.codebook,  # an empty codebook checks nothing
        n_boot=n_boot,
        seed=seed,
        by=by,
        participants=project.participants,
    )
    click.echo(agreement_text(table))
    click.echo(f"Wrote {write_table(table, project.output_dir / 'agreement.csv')}")


@cli.command()
@project_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "docx", "md"]),
    default="html",
    show_default=True,
    help="html: one file to e-mail; docx: Word, with heading styles and native tables; "
    "md: Markdown with PNG charts.",
)
@click.option(
    "--for",
    "audience",
    type=click.Choice(["team", "participants"]),
    default="team",
    show_default=True,
    help="team: the full report; participants: a short, plain version in large type, with no "
    "statistics, for the people who took part (report-participants.html).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: DIR/output/report.html, .docx or .md, or "
    "report-participants.*).",
)
@click.option(
    "--coder",
    default=None,
    show_default="humans if any, else rules",
    help="Whose codings to count: 'humans' (all human coders merged), 'rules', 'all', or a name.",
)
@click.option(
    "--unit",
    type=click.Choice(["participants", "interviews", "segments"]),
    default="participants",
    show_default=True,
    help="What one count is: a person, an interview, or a segment.",
)
@click.option(
    "--show-names",
    is_flag=True,
    help="Show names: stakeholders', coders' and interviewers', and who said each quote. "
    "Share such a report only within the team.",
)
def report(
    project_dir: Path,
    fmt: str,
    audience: str,
    output: Path | None,
    coder: str | None,
    unit: str,
    show_names: bool,
) -> None:
    """Write the report for the project in DIR, ordered like a board paper.

    Key messages (DIR/summary.md, or a marked draft), who took part, the
    themes with quotes, where the energy is, what happens next
    (DIR/actions.csv), how it was done and its limits, and an appendix with
    the statistics and the numbers behind every chart.  The HTML file opens
    from an e-mail with no internet.  --for participants writes a short,
    plain version for the people who took part.
    """
    from toolkit.present.report.writer import report_advice, write_report

    project = open_project(project_dir)
    options = {"format": fmt, "audience": audience, "coder": coder, "unit": unit}
    target = write_report(project, output, show_names=show_names, **options)
    size = target.stat().st_size
    click.echo(
        f"Wrote {target} ({size / 1_000_000:.1f} MB)" if size > 100_000 else f"Wrote {target}"
    )
    for line in report_advice(project, audience=audience, show_names=show_names):
        click.echo(line)


# --- interviews in: import and pseudonymise ---


@cli.command("import")
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


@cli.command()
@project_argument
@click.argument("target", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--name", "names", multiple=True, help="Another person's name to replace (repeat the option)."
)
@click.option(
    "--names-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A text file of names to replace, one per line.",
)
@click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the key (originals to pseudonyms) to this CSV, outside OUT.",
)
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


def _weights(ctx: click.Context, param: click.Parameter, pairs: tuple[str, ...]) -> dict:
    """Read and check --weight NAME=NUMBER options while the command line is parsed."""
    if not pairs:
        return {}
    from toolkit.analysis.energy.ranking import parse_weights

    try:
        return parse_weights(pairs)
    except ToolkitError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param) from None


@cli.command()
@project_argument
@click.option("--session", help="Count the dot votes of this session only (default: all).")
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="NAME=NUMBER",
    callback=_weights,
    help="Weight of dots, interviews or champions in the ranking, e.g. --weight dots=2.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the CSV files (default: DIR/output).",
)
def energy(
    project_dir: Path, session: str | None, weights: dict[str, float], output: Path | None
) -> None:
    """Map the stakeholder energy of the project in DIR and follow the energy.

    Prints who the champions, connectors and sceptics are, who can introduce
    the influential people with low energy to a champion, and the ideas
    ranked by the energy behind them (dots, interviews and champions, each
    shown).  Writes energy-table.csv, introductions.csv, energy-profile.csv
    and follow-the-energy.csv into DIR/output (or --output).
    """
    from toolkit.analysis.energy.outputs import ENERGY_FILES, energy_tables
    from toolkit.analysis.energy.ranking import score_words

    project = open_project(project_dir)
    # Everything is checked (and computed) before anything is printed.
    tables = energy_tables(project, session=session, weights=weights)
    table, found, ranking = tables.table, tables.introductions, tables.ranking
    with fresh_folder(output or project_dir / "output"):  # a bad --output fails here
        written = tables.write(output or project_dir / "output")
    click.echo(f"{project.name}")
    click.echo(
        f"{plural(len(table), 'stakeholder')}, {plural(len(project.connections), 'connection')}."
    )
    for role in ("champion", "connector", "potential ally", "sceptic", "bystander"):
        # A person can hold several roles (a champion who is also a connector).
        held = table["roles"].str.split(", ").map(lambda roles, role=role: role in roles)
        names = list(table.loc[held, "stakeholder"])
        if names:
            click.echo(f"  {role:<15} {len(names):>3}  {', '.join(names)}")
    for label, column in (("Hubs", "hub"), ("Bridges", "bridge")):
        names = list(table.loc[table[column], "stakeholder"])
        click.echo(f"{label}: {', '.join(names) or 'none'}")
    if len(found):
        click.echo("Influential people with low energy, and who can introduce them:")
        for row in found.itertuples(index=False):
            click.echo(f"  {row.stakeholder}: {row.suggestion}")
    for note in table.attrs.get("notes", []):
        click.echo(f"Note: {note}")
    if tables.profile is None:
        click.echo(f"Note: {tables.missing[ENERGY_FILES['profile']]}.")
    if ranking is None:
        click.echo(tables.missing[ENERGY_FILES["ranking"]])
    else:
        click.echo(f"Follow the energy (score = {score_words(weights)}):")
        for row in ranking.head(10).itertuples(index=False):
            evidence = ", ".join(
                plural(int(n), word)
                for n, word in (
                    (row.dots, "dot"),
                    (row.interviews, "interview"),
                    (row.champions, "champion"),
                )
            )
            click.echo(
                f"  {row.rank:>2}. {row.item:<45} {row.score:5.2f}  = {row.from_dots:.2f} "
                f"+ {row.from_interviews:.2f} + {row.from_champions:.2f}  ({evidence})"
            )
        for note in ranking.attrs.get("notes", []):
            click.echo(f"Note: {note}")
    click.echo("Wrote " + ", ".join(str(p) for p in written))


@cli.command()
@project_argument
@click.argument("target", metavar="OUT", type=click.Path(dir_okay=False, path_type=Path))
def network(project_dir: Path, target: Path) -> None:
    """Export the stakeholder network of the project in DIR to the file OUT.

    The format follows OUT's ending: .graphml or .gexf to open in Gephi,
    .json for Kumu's import (elements and connections).  Each stakeholder
    carries their ratings, role and network measures; each tie its weight
    and kind.
    """
    from toolkit.analysis.energy.outputs import export_network

    project = open_project(project_dir)
    path = export_network(project.stakeholders, project.connections, target)
    click.echo(
        f"Wrote {plural(len(project.stakeholders), 'stakeholder')} and "
        f"{plural(len(project.connections), 'connection')} to {path}"
    )


# --- coding by rules, checking codebooks ---------------------------------------


@cli.command("code")
@project_argument
@click.option(
    "--unit",
    type=click.Choice(["segment", "sentence", "match", "segments", "sentences", "matches"]),
    default="segment",
    show_default=True,
    help="What each coding covers: the whole turn, the sentence, or the matched words.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),  # a Parquet dataset from --engine dask is a folder
    help="Where to write the codings, .csv or .parquet (default: DIR/output/codings-rules.csv).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--against",
    metavar="CODER",
    help="Check the rules against this coder: precision, recall and F1 per code, worst first, "
    "also written to DIR/output/rule-check.csv.",
)
@click.option("--keep-interviewers", is_flag=True, help="Code the interviewers' turns too.")
@engine_options
def code_command(
    project_dir: Path,
    unit: str,
    output: Path | None,
    quiet: bool,
    against: str | None,
    keep_interviewers: bool,
    **engine,
) -> None:
    """Code the interviews in DIR with the codebook's rules; write output/codings-rules.csv.

    The keywords, regular expressions and 'not' phrases in DIR/codebook.yml
    are applied to every participant's turn: interviewers' turns are left
    out (listed in participants.csv or project.yml, or guessed: the output
    says which).  The project then reads output/codings-rules.csv as the
    coder 'rules' (report --coder rules, agreement --include-rules).  Rule
    codings are suggestions: check them
    against a human coder (--against CODER) before relying on them.  With
    --engine dask, pieces of the interviews are coded in parallel on a Dask
    cluster, and the codings are written as Parquet.
    """
    if engine["engine"] == "dask" or engine["workers"] or engine["scheduler"]:
        keep = {"keep_interviewers": keep_interviewers, "against": against}
        return run_on_dask(project_dir, unit=unit, output=output, quiet=quiet, **keep, **engine)
    from toolkit.analysis.autocode.engine import autocode_project
    from toolkit.analysis.rule_evaluation import evaluate_rules, human_coder
    from toolkit.io.files import write_table
    from toolkit.io.parquet import write_parquet

    project = open_project(project_dir)
    if against is not None:
        human_coder(project.codings, against, option="against")  # before anything is written
    codings = autocode_project(
        project, unit=unit, progress=not quiet, keep_interviewers=keep_interviewers
    )
    target = output or project.output_dir / "codings-rules.csv"
    (write_parquet if target.suffix.lower() == ".parquet" else write_table)(codings, target)
    check = None
    if against is not None:
        check = evaluate_rules(
            codings, project.codings, project.segments, coder=against, codebook=project.codebook
        )
        checked = write_table(check.worst_first(), project.output_dir / "rule-check.csv")
    segments = codings[["interview_id", "segment_id"]].drop_duplicates()
    click.echo(
        f"Coded {len(segments):,} of {plural(codings.attrs['segments'], 'segment')} with "
        f"{plural(codings['code'].nunique(), 'code')}: {plural(len(codings), 'coding')} "
        f"written to {target}"
        + ("" if output else ", which the project reads as the coder 'rules'")
    )
    click.echo(str(codings.attrs["interviewers"]))
    counts = codings["code"].value_counts()
    for code in project.codebook.codes:
        if code in counts:
            click.echo(f"  {code:<28} {counts[code]:>6,}")
    if check is not None:
        click.echo(check.summary(limit=10))
        click.echo(f"Wrote {checked}")


@cli.group()
def codebook() -> None:
    """Work with codebooks: check a codebook file before you code with it."""


@codebook.command("check")
@click.argument("codebook_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
def codebook_check(codebook_file: Path) -> None:
    """Check the codebook FILE (.yml or .csv): names, parents, colours and rules.

    Prints a summary if it is valid, or the line (or row) of the first
    problem and how to fix it.  In a notebook: print(tk.codebook_summary("FILE")).
    """
    from toolkit.model.summary import codebook_summary

    click.echo(str(codebook_summary(codebook_file)))


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the ``codesign-toolkit`` console script)."""
    cli.main(args=argv, prog_name="codesign-toolkit", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
