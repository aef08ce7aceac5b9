"""Coding and checking it: ``code`` (the codebook's rules), ``agreement`` between coders and
``codebook check``.
"""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.common import open_project, project_argument
from toolkit.cli.errors import ToolkitCommand, ToolkitGroup
from toolkit.cli.scale import engine_options, run_on_dask
from toolkit.wording import plural

__all__ = ["agreement", "code_command", "codebook", "codebook_check"]


@click.command("code", cls=ToolkitCommand)
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


@click.command(cls=ToolkitCommand)
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


@click.group(cls=ToolkitGroup)
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
