"""Stakeholder energy: ``energy`` (roles, introductions, follow the energy) and ``network``."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.common import open_project, path_option, project_argument
from toolkit.cli.errors import ToolkitCommand, fresh_folder
from toolkit.errors import ToolkitError
from toolkit.wording import plural

__all__ = ["energy", "network"]


def _weights(ctx: click.Context, param: click.Parameter, pairs: tuple[str, ...]) -> dict:
    """Read and check --weight NAME=NUMBER options while the command line is parsed."""
    if not pairs:
        return {}
    from toolkit.analysis.energy.ranking import parse_weights

    try:
        return parse_weights(pairs)
    except ToolkitError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param) from None


@click.command(cls=ToolkitCommand)
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
@path_option("--output", "Folder for the CSV files (default: DIR/output).", folder=True)
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


@click.command(cls=ToolkitCommand)
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
