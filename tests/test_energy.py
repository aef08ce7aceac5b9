"""Stakeholder energy: reading, network measures, roles, introductions, ranking, export."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

import toolkit as tk
from toolkit import tables
from toolkit.analysis.energy.network import MEASURES, eigenvector_centrality
from toolkit.analysis.energy.ranking import parse_weights
from toolkit.analysis.energy.roles import ROLE_FLAGS
from toolkit.cli import cli
from toolkit.errors import EnergyError
from toolkit.model.codebook import Codebook
from toolkit.model.stakeholders import check_connections, check_stakeholders
from toolkit.tables import FIVE_ENERGIES

DATA = Path(__file__).resolve().parent / "data" / "energy"


def people(rows: list[tuple]) -> pd.DataFrame:
    """Stakeholders from (name, group, influence, energy) tuples; interest 3."""
    return pd.DataFrame(
        {
            "stakeholder": [r[0] for r in rows],
            "group": [r[1] for r in rows],
            "influence": [r[2] for r in rows],
            "interest": [3] * len(rows),
            "energy": [r[3] for r in rows],
        }
    )


def ties(pairs: list[tuple]) -> pd.DataFrame:
    """Connections from (source, target) or (source, target, weight) tuples."""
    return pd.DataFrame(
        {
            "source": [p[0] for p in pairs],
            "target": [p[1] for p in pairs],
            "weight": [p[2] if len(p) > 2 else 1 for p in pairs],
            "kind": ["talks-to"] * len(pairs),
        }
    )


@pytest.fixture
def barbell():
    """Two groups of five, all linked within the group, joined through one person."""
    graph = nx.barbell_graph(5, 1)  # 0-4 and 6-10 are cliques, 5 joins them
    group = {n: "left" if n < 5 else "right" if n > 5 else "middle" for n in graph}
    stakeholders = people([(f"P{n}", group[n], 2, 1) for n in sorted(graph)])
    connections = ties([(f"P{a}", f"P{b}") for a, b in graph.edges])
    return stakeholders, connections


# --- reading ----------------------------------------------------------------


def test_read_fixture_files():
    stakeholders = tk.read_stakeholders(DATA / "stakeholders.csv")
    assert list(stakeholders["stakeholder"]) == ["Asha", "Ben", "Cara", "Dev", "Eve"]
    assert stakeholders["energy"].tolist() == [2, 1, 2, 0, -1]
    assert pd.isna(stakeholders.loc[1, "spiritual"])  # a blank rating stays blank
    connections = tk.read_connections(DATA / "connections.csv", stakeholders)
    assert connections.loc[2, "weight"] == 1  # a blank weight counts as a light link
    votes = tk.read_votes(DATA / "votes.csv")
    assert votes["dots"].sum() == 12 and votes.loc[3, "participant"] == ""


def test_read_spreadsheet_export_with_semicolons_and_decimal_comma():
    table = tk.read_stakeholders(DATA / "spreadsheet.csv")
    assert table["influence"].tolist() == [4.0, 2.5]


def test_duplicate_stakeholder_names_both_rows():
    with pytest.raises(EnergyError) as info:
        tk.read_stakeholders(DATA / "duplicate-stakeholder.csv")
    message = str(info.value)
    assert "duplicate-stakeholder.csv, row 4" in message
    assert "'Asha' is also in row 2" in message and "How to fix" in message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("energy-out-of-range.csv", "row 3: expected 'energy' between -2 and 2, but found 3"),
        ("five-energies-out-of-range.csv", "row 2: expected 'social' between 1 and 5"),
    ],
)
def test_ratings_out_of_range_name_the_row(name, expected):
    with pytest.raises(EnergyError, match=expected):
        tk.read_stakeholders(DATA / name)


def test_connection_to_unknown_stakeholder_names_row_and_suggests():
    stakeholders = tk.read_stakeholders(DATA / "stakeholders.csv")
    with pytest.raises(EnergyError) as info:
        tk.read_connections(DATA / "unknown-name.csv", stakeholders)
    message = str(info.value)
    assert "unknown-name.csv, row 3" in message
    assert "'Davina'" in message and "did you mean 'Dev'" not in message
    assert "How to fix" in message


def test_unknown_name_differs_only_in_case():
    with pytest.raises(EnergyError, match="did you mean 'Asha'"):
        check_connections(ties([("asha", "Ben")]), people([("Asha", "", 1, 0), ("Ben", "", 1, 0)]))


def test_self_loop_names_the_row():
    stakeholders = tk.read_stakeholders(DATA / "stakeholders.csv")
    with pytest.raises(EnergyError, match=r"self-loop\.csv, row 4: .*'Cara' to themselves"):
        tk.read_connections(DATA / "self-loop.csv", stakeholders)


def test_weight_out_of_range():
    with pytest.raises(EnergyError, match=r"row 2: expected 'weight' between 1 and 3"):
        tk.read_connections(DATA / "bad-weight.csv")


def test_dots_must_be_whole_numbers():
    with pytest.raises(EnergyError, match=r"bad-dots\.csv, row 2: .*'two'"):
        tk.read_votes(DATA / "bad-dots.csv")


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "stakeholders.csv"
    path.write_text("stakeholder,group,influence,energy\nAsha,x,3,1\n")
    with pytest.raises(EnergyError, match="'interest'"):
        tk.read_stakeholders(path)


def test_in_memory_table_errors_count_rows_like_a_spreadsheet():
    table = people([("Asha", "", 3, 0), ("", "", 3, 0)])
    with pytest.raises(EnergyError, match="row 3: expected a name"):
        check_stakeholders(table)


def test_project_reads_energy_files(sample_copy):
    project = tk.open_project(sample_copy)
    assert len(project.stakeholders) >= 22 and len(project.connections) > 40
    assert set(project.votes["session"]) == {"2026-11-12", "2027-02-11"}


def test_project_with_bad_connection_fails_clearly(sample_copy):
    with (sample_copy / "connections.csv").open("a", encoding="utf-8") as fh:
        fh.write("Tom Beckett,Tom Becket,1,talks-to\n")
    with pytest.raises(EnergyError, match="did you mean 'Tom Beckett'"):
        tk.open_project(sample_copy)


# --- network measures and roles ---------------------------------------------


def test_barbell_bridge_has_highest_betweenness_and_is_a_connector(barbell):
    table = tk.energy_table(*barbell).set_index("stakeholder")
    assert table["betweenness"].idxmax() == "P5"
    assert table.loc["P5", "bridge"] and table.loc["P5", "role"] == "connector"
    # Those linked only inside their own bell are no bridges; the two who hold
    # the bridge's hands (P4, P6) carry almost as many chains, so they count too.
    assert set(table.index[table["bridge"]]) == {"P4", "P5", "P6"}
    # Eigenvector centrality is symmetric between the two bells.
    assert table.loc["P0", "eigenvector"] == pytest.approx(table.loc["P10", "eigenvector"])


def test_star_centre_is_a_hub():
    stakeholders = people([("Hub", "a", 2, 2)] + [(f"L{i}", "b", 2, 0) for i in range(6)])
    table = tk.energy_table(stakeholders, ties([("Hub", f"L{i}") for i in range(6)]))
    row = table.set_index("stakeholder").loc["Hub"]
    assert row["degree"] == 6 and row["hub"] and row["eigenvector"] == 1.0
    assert row["betweenness"] == 1.0


def test_degree_and_strength_count_merged_duplicates():
    stakeholders = people([("A", "x", 3, 1), ("B", "x", 3, 1), ("C", "x", 3, 1)])
    connections = ties([("A", "B", 1), ("B", "A", 3), ("B", "C", 2)])
    table = tk.energy_table(stakeholders, connections).set_index("stakeholder")
    assert table.loc["B", "degree"] == 2 and table.loc["B", "strength"] == 5
    assert any("more than once" in n for n in table.attrs["notes"])


def test_roles_follow_the_documented_rules():
    stakeholders = people(
        [
            ("Sceptic", "a", 5, -1),
            ("Boss", "a", 4, 1),
            ("Keen", "b", 1, 2),
            ("Neutral boss", "b", 5, 0),
            ("Quiet", "b", 1, 0),
        ]
    )
    table = tk.energy_table(stakeholders).set_index("stakeholder")
    assert table["role"].to_dict() == {
        "Sceptic": "sceptic",
        "Boss": "champion",
        "Keen": "potential ally",
        "Neutral boss": "potential ally",
        "Quiet": "bystander",
    }
    assert table["quadrant"].to_dict() == {
        "Sceptic": "engage with care",
        "Boss": "involve now",
        "Keen": "connect and amplify",
        "Neutral boss": "engage with care",
        "Quiet": "keep informed",
    }


def test_low_influence_hub_with_energy_is_a_champion():
    stakeholders = people(
        [("Tom", "volunteer", 2, 2)] + [(f"P{i}", "volunteer", 1, 0) for i in range(5)]
    )
    # Tom knows everyone, and they all know each other, so Tom is no bridge.
    pairs = [("Tom", f"P{i}") for i in range(5)]
    pairs += [(f"P{i}", f"P{j}") for i in range(5) for j in range(i + 1, 5)]
    table = tk.energy_table(stakeholders, ties(pairs), hub_degree=5).set_index("stakeholder")
    assert table.loc["Tom", "role"] == "champion" and not table.loc["Tom", "bridge"]


def test_disconnected_network_gets_a_note_not_an_error():
    stakeholders = people([("A", "x", 3, 1), ("B", "x", 3, 1), ("C", "y", 3, 1), ("D", "y", 3, 1)])
    table = tk.energy_table(stakeholders, ties([("A", "B")]))
    notes = " ".join(table.attrs["notes"])
    assert "3 separate parts" in notes and "C, D" in notes
    assert table.set_index("stakeholder").loc["C", "eigenvector"] == 0


def test_eigenvector_on_two_identical_parts_is_well_defined():
    names = ["A", "B", "C", "D", "E", "F"]
    stakeholders = people([(n, "x", 3, 1) for n in names])
    connections = ties([("A", "B"), ("B", "C"), ("A", "C"), ("D", "E"), ("E", "F"), ("D", "F")])
    table = tk.energy_table(stakeholders, connections)
    assert table["eigenvector"].tolist() == [1.0] * 6


def test_smaller_part_scores_lower_eigenvector():
    stakeholders = people([(n, "x", 3, 1) for n in "ABCDEFG"])
    connections = ties([("A", "B"), ("A", "C"), ("A", "D"), ("B", "C"), ("C", "D"), ("F", "G")])
    table = tk.energy_table(stakeholders, connections).set_index("stakeholder")
    assert table["eigenvector"].max() == 1.0
    assert 0 < table.loc["F", "eigenvector"] < table.loc["B", "eigenvector"]
    assert table.loc["E", "eigenvector"] == 0


def _scaled(scores: dict) -> dict:
    top = max(scores.values())
    return {node: value / top for node, value in scores.items()}


@pytest.mark.parametrize(
    "graph",
    [
        nx.karate_club_graph(),  # weighted ties (the number of shared activities)
        nx.barbell_graph(5, 1),
        nx.connected_watts_strogatz_graph(40, 4, 0.2, seed=1),
        nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=2),  # the sparse solver's size
    ],
    ids=["karate", "barbell", "small-world", "large"],
)
def test_eigenvector_centrality_matches_networkx_on_a_connected_network(graph):
    for a, b, data in graph.edges(data=True):
        data.setdefault("weight", 1 + (a + b) % 3)
    ours = eigenvector_centrality(graph)
    reference = _scaled(nx.eigenvector_centrality_numpy(graph, weight="weight"))
    assert ours == pytest.approx(reference, abs=1e-6)


def test_eigenvector_centrality_in_parts_is_networkx_per_part_scaled_by_eigenvalue():
    first, second = nx.complete_graph(["A", "B", "C", "D"]), nx.path_graph(["E", "F", "G"])
    graph = nx.union(first, second)
    graph.add_node("H")
    for _, _, data in graph.edges(data=True):
        data["weight"] = 1
    ours = eigenvector_centrality(graph)
    # Each part is networkx's measure within it, scaled by its leading eigenvalue
    # (3 for four people all linked, sqrt(2) for a chain of three) over the largest.
    for part, eigenvalue in ((first, 3.0), (second, 2**0.5)):
        reference = _scaled(nx.eigenvector_centrality_numpy(part, weight="weight"))
        for node, value in reference.items():
            assert ours[node] == pytest.approx(value * eigenvalue / 3.0, abs=1e-6)
    assert ours["H"] == 0.0


def test_energy_table_is_a_stakeholders_table_with_more_columns(sample):
    table = tk.energy_table(sample.stakeholders, sample.connections)
    assert tables.conforms(table, "stakeholders")
    assert list(table.columns[-14:]) == [
        *MEASURES,
        "role",
        "quadrant",
        "roles",
        *ROLE_FLAGS.values(),
    ]


def test_inputs_are_not_changed(barbell):
    stakeholders, connections = barbell
    before = stakeholders.copy(), connections.copy()
    tk.energy_table(stakeholders, connections)
    tk.introductions(stakeholders, connections)
    pd.testing.assert_frame_equal(stakeholders, before[0])
    pd.testing.assert_frame_equal(connections, before[1])


def test_user_role_column_is_kept():
    stakeholders = people([("A", "x", 3, 1)]).assign(role="ward sister")
    table = tk.energy_table(stakeholders)
    assert table.loc[0, "role_given"] == "ward sister" and table.loc[0, "role"] == "potential ally"


# --- introductions ----------------------------------------------------------


def test_chain_introduction_path_is_known():
    stakeholders = people(
        [
            ("Champ", "a", 4, 2),
            ("B", "b", 2, 0),
            ("C", "c", 2, 0),
            ("D", "d", 2, 0),
            ("Boss", "e", 5, -2),
        ]
    )
    connections = ties([("Champ", "B"), ("B", "C"), ("C", "D"), ("D", "Boss")])
    found = tk.introductions(stakeholders, connections)
    assert len(found) == 1
    row = found.iloc[0]
    assert row["path"] == "Champ → B → C → D → Boss"
    assert row["champion"] == "Champ" and row["introducer"] == "D" and row["steps"] == 4
    assert row["reachable"]


def test_nearest_champion_wins_then_strongest_weakest_tie():
    stakeholders = people(
        [
            ("Far", "a", 5, 2),
            ("Near", "a", 5, 1),
            ("Weak", "a", 2, 0),
            ("Strong", "a", 2, 0),
            ("X", "a", 2, 0),
            ("Boss", "a", 4, 0),
        ]
    )
    connections = ties(
        [
            ("Far", "X", 3),
            ("X", "Near", 3),
            ("Near", "Weak", 3),
            ("Weak", "Boss", 1),
            ("Near", "Strong", 2),
            ("Strong", "Boss", 2),
        ]
    )
    row = tk.introductions(stakeholders, connections).iloc[0]
    assert row["path"] == "Near → Strong → Boss" and row["weakest_tie"] == 2


def test_direct_tie_suggests_talking():
    stakeholders = people([("Neil", "hospital", 4, 1), ("Graham", "hospital", 5, -2)])
    row = tk.introductions(stakeholders, ties([("Neil", "Graham")])).iloc[0]
    assert row["steps"] == 1 and row["suggestion"].startswith("Neil already knows Graham")


def test_unreachable_stakeholder_is_flagged():
    stakeholders = people([("Champ", "a", 4, 2), ("B", "a", 2, 1), ("Boss", "b", 5, -1)])
    found = tk.introductions(stakeholders, ties([("Champ", "B")]))
    row = found.iloc[0]
    assert not row["reachable"] and row["path"] == "" and pd.isna(row["steps"])
    assert "No champion is connected to Boss" in row["suggestion"]
    assert any("separate parts" in n for n in found.attrs["notes"])


def test_no_champions_at_all():
    stakeholders = people([("A", "a", 2, 0), ("Boss", "b", 5, -1)])
    row = tk.introductions(stakeholders, ties([("A", "Boss")])).iloc[0]
    assert "no champions on the map" in row["suggestion"]


def test_sample_introductions_match_the_story(sample):
    found = tk.introductions(sample.stakeholders, sample.connections).set_index("stakeholder")
    assert found.loc["Graham Pike", "path"] == "Neil Harper → Graham Pike"
    # Without Neil's tie, nobody can reach Graham: Neil is a single point of failure.
    cut = sample.connections[sample.connections["target"] != "Graham Pike"]
    again = tk.introductions(sample.stakeholders, cut).set_index("stakeholder")
    assert not again.loc["Graham Pike", "reachable"]


def test_sample_network_tells_the_cast_story(sample):
    table = tk.energy_table(sample.stakeholders, sample.connections).set_index("stakeholder")
    assert set(table.index[table["bridge"]]) == {"Janet Price", "Lucy Fernandes"}
    assert {"Grace Mensah", "Tom Beckett"} <= set(table.index[table["hub"]])
    assert table.loc["Grace Mensah", "role"] == table.loc["Tom Beckett", "role"] == "champion"
    assert table.loc["Graham Pike", "degree"] == 1 and table.loc["Graham Pike", "influence"] == 5
    neil = set(
        sample.connections.query("source == 'Neil Harper' or target == 'Neil Harper'")[
            ["source", "target"]
        ].stack()
    )
    assert {"Karen Holt", "Chloe Turner"} <= neil
    assert not neil & {"Tom Beckett", "Grace Mensah", "Hassan Ali", "Olu Bankole"}


# --- five energies ----------------------------------------------------------


def test_energy_profile_by_group_skips_blanks():
    stakeholders = tk.read_stakeholders(DATA / "stakeholders.csv")
    profile = tk.energy_profile(stakeholders).set_index(["group", "energy_type"])
    assert profile.loc[("surgery", "spiritual"), "mean"] == 4.0
    assert profile.loc[("surgery", "spiritual"), "rated"] == 1
    assert profile.loc[("community", "physical"), "mean"] == 2.0
    assert profile.loc[("community", "physical"), "level"] == "depleted"
    assert profile.loc[("surgery", "social"), "level"] == "high"
    assert "hospital" not in profile.index.get_level_values("group")  # Eve has no ratings


def test_energy_profile_whole_system_and_overall():
    stakeholders = tk.read_stakeholders(DATA / "stakeholders.csv")
    system = tk.energy_profile(stakeholders, by=None)
    assert list(system["energy_type"]) == FIVE_ENERGIES
    assert system.loc[0, "mean"] == 4.25 and system.loc[0, "rated"] == 4
    both = tk.energy_profile(stakeholders, overall=True)
    assert "whole system" in set(both["group"])


def test_energy_profile_needs_ratings():
    with pytest.raises(EnergyError, match="five energies"):
        tk.energy_profile(people([("A", "x", 1, 0)]))
    with pytest.raises(EnergyError, match="'site'"):
        tk.energy_profile(tk.read_stakeholders(DATA / "stakeholders.csv"), by="site")


# --- follow the energy ------------------------------------------------------


@pytest.fixture
def small_project():
    """Stakeholders, votes, a codebook and codings small enough to count by hand."""
    stakeholders = people(
        [("Asha", "surgery", 4, 2), ("Ben", "surgery", 2, 1), ("Cara", "community", 4, 1)]
    )
    codebook = Codebook(
        [
            {"code": "welcome_call", "theme": "Wishes for the future"},
            {"code": "lifts", "theme": "Wishes for the future"},
            {"code": "lifts_evening", "parent": "lifts"},
            {"code": "huddle", "theme": "Enabling strengths"},
            {"code": "delays", "theme": "Frustrations"},
        ]
    )
    codings = pd.DataFrame(
        {
            "interview_id": ["int01", "int02", "int02", "int03", "int01", "int03"],
            "code": ["welcome_call", "welcome_call", "lifts_evening", "lifts", "huddle", "delays"],
        }
    )
    participants = pd.DataFrame(
        {"interview_id": ["int01", "int02", "int03"], "name": ["Asha", "Ben", "Someone"]}
    )
    votes = pd.DataFrame(
        {
            "participant": ["Ben", "int01", "Cara", "Dee", "Cara"],
            "item": ["Welcome call", "Lifts", "Lifts", "Lifts", "Welcome call"],
            "dots": [2, 1, 3, 2, 1],
            "session": ["June", "June", "June", "June", "July"],
            "code": ["welcome_call", "lifts", "", "", ""],
        }
    )
    return tk.Project(
        stakeholders=stakeholders,
        votes=votes,
        codebook=codebook,
        codings=codings,
        participants=participants,
    )


def test_follow_the_energy_shows_each_component(small_project):
    ranking = tk.follow_the_energy(small_project).set_index("item")
    lifts, call = ranking.loc["Lifts"], ranking.loc["Welcome call"]
    assert (lifts["dots"], lifts["voters"], lifts["interviews"]) == (6, 3, 2)
    assert (call["dots"], call["voters"], call["interviews"]) == (3, 2, 2)
    # Asha (champion) voted as int01 and raised lifts; Cara (champion) voted.
    assert lifts["champion_names"] == "Asha, Cara" and lifts["champions"] == 2
    # Asha raised the welcome call in her interview; Cara voted for it in July.
    assert call["champion_names"] == "Asha, Cara"
    assert lifts["frame"] == call["frame"] == "wish"
    assert lifts["from_dots"] == 1.0 and call["from_dots"] == 0.5
    assert ranking.index[0] == "Lifts"
    # A strength the interviews raised but nobody voted on is ranked too.
    assert ranking.loc["Huddle", "source"] == "interviews"
    assert ranking.loc["Huddle", ["frame", "code"]].tolist() == ["strength", "huddle"]
    assert "Delays" not in ranking.index  # a frustration is no idea to build on
    assert "Lifts evening" not in ranking.index  # voted on through its parent


def test_follow_the_energy_weights_and_sessions(small_project):
    ranking = tk.follow_the_energy(small_project, weights={"dots": 0, "champions": 2})
    assert ranking["from_dots"].eq(0).all()
    assert ranking["from_champions"].max() == 2
    june = tk.follow_the_energy(small_project, session="June").set_index("item")
    assert june.loc["Welcome call", "dots"] == 2
    with pytest.raises(EnergyError, match=r"'July', 'June'"):
        tk.follow_the_energy(small_project, session="August")
    with pytest.raises(EnergyError, match="weights"):
        tk.follow_the_energy(small_project, weights={"likes": 1})


def test_follow_the_energy_frames_are_a_parameter(small_project):
    ranking = tk.follow_the_energy(small_project, frames={"gripe": ["frustration"]})
    assert set(ranking["frame"]) == {"", "gripe"}


def test_follow_the_energy_without_codebook_or_codings():
    project = tk.Project(votes=pd.DataFrame({"participant": ["a"], "item": ["Lifts"], "dots": [3]}))
    ranking = tk.follow_the_energy(project)
    assert ranking.loc[0, "interviews"] == 0 and ranking.loc[0, "score"] == 1.0
    assert any("No codebook" in n for n in ranking.attrs["notes"])


def test_follow_the_energy_matches_items_to_codes_by_name(small_project):
    votes = small_project.votes.drop(columns="code")
    votes.loc[votes["item"] == "Welcome call", "item"] = "Welcome-call"
    project = tk.Project(
        stakeholders=small_project.stakeholders,
        votes=votes,
        codebook=small_project.codebook,
        codings=small_project.codings,
        participants=small_project.participants,
    )
    ranking = tk.follow_the_energy(project).set_index("item")
    assert ranking.loc["Welcome-call", "code"] == "welcome_call"
    assert ranking.loc["Lifts", "interviews"] == 2  # lifts and its sub-code
    # A codebook table works as well as a Codebook.
    project.codebook = small_project.codebook.table
    assert tk.follow_the_energy(project).set_index("item").loc["Lifts", "interviews"] == 2


def test_follow_the_energy_reports_unknown_links(small_project):
    small_project.votes.loc[0, "code"] = "no_such_code"
    ranking = tk.follow_the_energy(small_project)
    assert any("no_such_code" in n for n in ranking.attrs["notes"])


def test_sample_ranking(sample):
    ranking = tk.follow_the_energy(sample)
    assert ranking.loc[0, "item"] == "Welcome-home call within 48 hours"
    parts = ranking[["from_dots", "from_interviews", "from_champions"]].sum(axis=1)
    assert (parts.round(3) == ranking["score"]).all()
    # Umbrella codes and stories are not ideas to build on; strengths are.
    assert not {"Wishes", "Peak experience", "Waiting"} & set(ranking["item"])
    if len(sample.codings):
        assert "strength" in set(ranking["frame"])
    young = ranking.set_index("item").loc["Young carers recognised on the ward"]
    assert young["champions"] <= 1  # lots of dots, little champion energy yet


# --- export -----------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_export_for_gephi_round_trips(tmp_path, sample, suffix):
    out = tk.export_network(sample.stakeholders, sample.connections, tmp_path / f"map{suffix}")
    reader = nx.read_graphml if suffix == ".graphml" else nx.read_gexf
    graph = reader(out)
    assert graph.number_of_nodes() == len(sample.stakeholders)
    assert graph.number_of_edges() == len(sample.connections)
    node = graph.nodes["Graham Pike"]
    assert node["role"] == "sceptic" and float(node["influence"]) == 5
    assert "social" not in node  # blank ratings are left out, not written as NaN
    assert [p.name for p in tmp_path.iterdir()] == [f"map{suffix}"]  # no temporary files left


def test_export_for_kumu(tmp_path, sample):
    out = tk.export_network(sample.stakeholders, sample.connections, tmp_path / "map.json")
    blueprint = json.loads(out.read_text(encoding="utf-8"))
    assert set(blueprint) == {"elements", "connections"}
    grace = next(e for e in blueprint["elements"] if e["label"] == "Grace Mensah")
    assert grace["type"] == "community group" and "hub" in grace["tags"]
    tie = blueprint["connections"][0]
    assert {"from", "to", "type", "direction", "strength"} <= set(tie)


def test_export_unknown_format(tmp_path, sample):
    with pytest.raises(EnergyError, match=r"\.graphml, \.gexf or \.json"):
        tk.export_network(sample.stakeholders, sample.connections, tmp_path / "map.png")


# --- charts -----------------------------------------------------------------


def test_energy_charts_describe_the_sample(sample):
    table = tk.energy_table(sample.stakeholders, sample.connections)
    grid = tk.charts.influence_energy_chart(table)
    assert "Graham Pike" in tk.charts.describe(grid) and "1 sceptic" in tk.charts.describe(grid)
    network = tk.charts.network_chart(table, sample.connections)
    text = tk.charts.describe(network)
    assert "Bridges between groups: Lucy Fernandes, Janet Price" in text
    assert "Graham Pike (1)" in text
    profile = tk.charts.energy_profile_chart(tk.energy_profile(sample.stakeholders, by=None))
    assert "Most depleted: physical" in tk.charts.describe(profile)
    ranking = tk.charts.follow_the_energy_chart(tk.follow_the_energy(sample))
    assert "Welcome-home call" in tk.charts.describe(ranking)
    votes = tk.charts.dot_votes_chart(sample.votes)
    assert "biggest rise" in tk.charts.describe(votes)
    for chart in (grid, network, profile, ranking, votes):
        tk.charts.chart_html(chart)  # embeds within the row limit


def test_network_chart_is_deterministic_and_uses_shape(sample):
    table = tk.energy_table(sample.stakeholders, sample.connections)
    first = tk.charts.network_chart(table, sample.connections).to_dict()
    again = tk.charts.network_chart(table, sample.connections).to_dict()
    assert first == again
    points = first["layer"][1]["encoding"]
    assert points["shape"]["field"] == "role" and points["color"]["field"] == "energy"


def test_charts_refuse_empty_tables():
    empty = tk.energy_table(people([]))
    with pytest.raises(tk.ToolkitError, match="empty"):
        tk.charts.influence_energy_chart(empty)
    assert isinstance(
        tk.charts.influence_energy_chart(tk.energy_table(people([("A", "x", 1, 0)]))),
        alt.LayerChart,
    )


# --- command line -----------------------------------------------------------


def test_cli_energy_writes_tables(sample_copy):
    result = CliRunner().invoke(cli, ["energy", str(sample_copy)])
    assert result.exit_code == 0, result.output
    assert "connector" in result.output and "Graham Pike" in result.output
    assert "1. Welcome-home call within 48 hours" in result.output
    for name in ("energy-table", "introductions", "energy-profile", "follow-the-energy"):
        assert (sample_copy / "output" / f"{name}.csv").is_file()


def test_cli_energy_prints_network_notes(sample_copy):
    table = pd.read_csv(sample_copy / "connections.csv")
    table[table["target"] != "Graham Pike"].to_csv(sample_copy / "connections.csv", index=False)
    result = CliRunner().invoke(cli, ["energy", str(sample_copy), "--weight", "dots=2"])
    assert result.exit_code == 0, result.output
    assert "Note: The network is in 2 separate parts" in result.output
    assert "No champion is connected to Graham Pike" in result.output


def test_cli_energy_without_stakeholders(tmp_path):
    folder = tk.new_project(tmp_path / "empty")
    result = CliRunner().invoke(cli, ["energy", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "stakeholders.csv" in result.output and "How to fix" in result.output


def test_cli_energy_bad_weight(sample_copy):
    result = CliRunner().invoke(cli, ["energy", str(sample_copy), "--weight", "dots"])
    assert result.exit_code == 2 and "NAME=NUMBER" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--weight", "dot=2"], "did you mean 'dots'"),
        (["--weight", "dots=-1"], "of 0 or more"),
        (["--session", "August"], "expected a vote session called 'August'"),
    ],
)
def test_cli_energy_checks_options_before_printing_anything(sample_copy, args, expected):
    result = CliRunner().invoke(cli, ["energy", str(sample_copy), *args])
    assert result.exit_code != 0 and expected in result.output
    assert "stakeholders," not in result.output and "Traceback" not in result.output
    assert not (sample_copy / "output" / "energy-table.csv").exists()


def test_write_energy_tables_returns_the_paths_it_wrote(tmp_path):
    project = tk.sample_project()
    written = tk.write_energy_tables(project, tmp_path / "out", weights={"dots": 2})
    assert [p.name for p in written] == [
        "energy-table.csv",
        "introductions.csv",
        "energy-profile.csv",
        "follow-the-energy.csv",
    ]
    assert all(p.is_file() and p.parent == tmp_path / "out" for p in written)
    ranking = pd.read_csv(written[-1])
    expected = tk.follow_the_energy(project, weights={"dots": 2})
    assert ranking["item"].tolist() == expected["item"].tolist()


def test_energy_tables_say_why_a_table_is_missing():
    project = tk.Project(stakeholders=people([("A", "x", 4, 1), ("B", "y", 2, -1)]))
    tables = tk.energy_tables(project)
    assert tables.profile is None and tables.ranking is None
    assert list(tables.files()) == ["energy-table.csv", "introductions.csv"]
    assert "five energies" in tables.missing["energy-profile.csv"]
    assert "No votes.csv rows" in tables.missing["follow-the-energy.csv"]
    with pytest.raises(EnergyError, match="stakeholders"):
        tk.energy_tables(tk.Project())


def test_parse_weights():
    assert parse_weights(["dots=2", " champions = 0.5"]) == {"dots": 2.0, "champions": 0.5}
    with pytest.raises(EnergyError, match="NAME=NUMBER"):
        parse_weights(["dots:2"])
    with pytest.raises(EnergyError, match="did you mean 'interviews'"):
        parse_weights(["interview=1"])


def test_cli_network_export(sample_copy, tmp_path):
    out = tmp_path / "hartwell.graphml"
    result = CliRunner().invoke(cli, ["network", str(sample_copy), str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() == 24


def test_cli_network_bad_suffix(sample_copy, tmp_path):
    result = CliRunner().invoke(cli, ["network", str(sample_copy), str(tmp_path / "x.txt")])
    assert result.exit_code == 1 and ".graphml" in result.output


def test_sample_files_are_fictional_and_consistent():
    folder = tk.sample_project_path()
    stakeholders = tk.read_stakeholders(folder / "stakeholders.csv")
    participants = tk.read_participants(folder / "participants.csv")
    # Every interviewee is on the map under the same name.
    assert set(participants["name"]) <= set(stakeholders["stakeholder"])
    assert 22 <= len(stakeholders) <= 28
    votes = tk.read_votes(folder / "votes.csv")
    first = votes[votes["session"] == "2026-11-12"]
    per_person = first.groupby("participant")["dots"].sum()
    assert len(per_person) >= 18 and per_person.between(3, 5).all()
    assert first["item"].nunique() == 8


# --- intensity: how strongly energy is felt -----------------------------------


def _stakeholders_csv(tmp_path, header, *rows):
    path = tmp_path / "stakeholders.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_read_stakeholders_with_intensity(tmp_path):
    path = _stakeholders_csv(
        tmp_path,
        "stakeholder,group,influence,interest,energy,intensity,social",
        "Asha,ward,4,5,2,3,4",
        "Ben,board,5,2,-2,3,",
        "Cara,carers,2,4,1,,3",
    )
    table = tk.read_stakeholders(path)
    assert list(table.columns[:7]) == [*tables.STAKEHOLDERS.names, "intensity", "social"]
    assert table["intensity"].tolist()[:2] == [3, 3] and pd.isna(table.loc[2, "intensity"])
    assert tables.conforms(table, "stakeholders")


def test_read_stakeholders_without_intensity(tmp_path):
    path = _stakeholders_csv(
        tmp_path, "stakeholder,group,influence,interest,energy", "Asha,ward,4,5,2"
    )
    table = tk.read_stakeholders(path)
    assert "intensity" not in table.columns and tables.conforms(table, "stakeholders")


def test_whole_intensities_are_whole_numbers():
    table = check_stakeholders(people([("A", "x", 3, 1), ("B", "x", 3, -1)]).assign(
        intensity=["1", 3]
    ))  # fmt: skip
    assert table["intensity"].dtype == "int64" and tables.conforms(table, "stakeholders")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4", r"row 3: expected 'intensity' between 1 and 3, but found 4"),
        ("0", r"row 3: expected 'intensity' between 1 and 3, but found 0"),
        ("2.5", r"row 3: expected a whole number in column 'intensity', but found '2.5'"),
        ("high", r"row 3: expected a number in column 'intensity', but found 'high'"),
    ],
)
def test_intensity_out_of_range_names_the_row(tmp_path, value, expected):
    path = _stakeholders_csv(
        tmp_path,
        "stakeholder,group,influence,interest,energy,intensity",
        "Asha,ward,4,5,2,3",
        f"Ben,board,5,2,-2,{value}",
    )
    with pytest.raises(EnergyError, match=rf"stakeholders\.csv, {expected}"):
        tk.read_stakeholders(path)


def test_energy_table_carries_intensity():
    stakeholders = people([("A", "x", 5, -2), ("B", "y", 2, 1), ("C", "y", 3, 0)])
    stakeholders["intensity"] = [3, 1, None]
    table = tk.energy_table(stakeholders)
    assert tables.conforms(table, "stakeholders")
    assert table["intensity"].tolist()[:2] == [3, 1] and pd.isna(table.loc[2, "intensity"])
    assert table.columns.get_loc("intensity") == len(tables.STAKEHOLDERS.names)
    assert list(table.columns[-14:]) == [
        *MEASURES,
        "role",
        "quadrant",
        "roles",
        *ROLE_FLAGS.values(),
    ]
    assert stakeholders["intensity"].tolist()[:2] == [3, 1]  # the input is not changed


def test_influence_energy_chart_shows_intensity_by_size_and_says_who_is_intense():
    stakeholders = people([("Ann Sharp", "x", 5, -2), ("Bo Lee", "y", 2, 1), ("Cy Ng", "y", 3, 0)])
    stakeholders["intensity"] = [3, 1, None]
    chart = tk.charts.influence_energy_chart(tk.energy_table(stakeholders))
    spec = chart.to_dict()
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    size = points["encoding"]["size"]
    assert size["field"] == "intensity" and size["scale"]["type"] == "ordinal"
    sizes = dict(zip(size["scale"]["domain"], size["scale"]["range"], strict=True))
    assert sizes["3 high"] > sizes["1 low"] and set(sizes) == {"1 low", "3 high", "not rated"}
    assert points["encoding"]["shape"]["field"] == "role"  # shape still shows the role
    text = tk.charts.describe(chart)
    assert "Point size shows the intensity" in text and "High intensity: Ann Sharp." in text
    assert "Intensity not rated for 1 person." in text
    tk.charts.chart_html(chart)


def test_the_sample_rates_intensity_and_its_grid_shows_it(sample):
    assert sample.stakeholders["intensity"].between(1, 3).all()
    table = tk.energy_table(sample.stakeholders, sample.connections)
    chart = tk.charts.influence_energy_chart(table)
    points = next(layer for layer in chart.to_dict()["layer"] if layer["mark"]["type"] == "point")
    assert points["encoding"]["size"]["field"] == "intensity"
    assert "High intensity:" in tk.charts.describe(chart)


def test_influence_energy_chart_without_intensity_keeps_one_size(sample):
    # The sample rates intensity; a map without the column keeps one point size.
    unrated = sample.stakeholders.drop(columns="intensity")
    table = tk.energy_table(unrated, sample.connections)
    spec = tk.charts.influence_energy_chart(table).to_dict()
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert "size" not in points["encoding"] and points["mark"]["size"] == 90
    assert "intensity" not in tk.charts.describe(tk.charts.influence_energy_chart(table))


# --- roles are flags that can overlap (issue 15, point 8) ---------------------------


def eight_person_map() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 8-person discharge-team map on which a senior, keen bridge was called a connector."""
    stakeholders = tk.read_stakeholders(DATA / "eight-stakeholders.csv")
    return stakeholders, tk.read_connections(DATA / "eight-connections.csv", stakeholders)


def test_a_high_influence_positive_bridge_is_a_champion_and_a_connector():
    table = tk.energy_table(*eight_person_map()).set_index("stakeholder")
    amira = table.loc["Dr Amira Hassan"]
    assert amira["bridge"] and amira["influence"] == 5 and amira["energy"] == 2
    assert amira["role"] == "champion"  # the one label charts show
    assert amira["roles"] == "champion, connector"
    assert amira["champion"] and amira["connector"]
    assert not amira["sceptic"] and not amira["potential_ally"]
    assert table.loc["Megan Lloyd", "roles"] == "connector"  # a bridge, not senior
    assert table.loc["Lisa Grant", "roles"] == "sceptic"
    assert table.loc["Raj Patel", "roles"] == "bystander"
    assert table["role"].tolist() == [
        table.loc[name, "roles"].split(", ")[0] for name in table.index
    ]


def test_with_a_champion_on_the_map_nobody_is_told_there_are_none():
    found = tk.introductions(*eight_person_map()).set_index("stakeholder")
    assert set(found.index) == {"Lisa Grant", "Dr Owen Price"}
    assert found["reachable"].all()
    assert found.loc["Lisa Grant", "path"] == "Dr Amira Hassan → Jo Bell → Lisa Grant"
    assert found.loc["Dr Owen Price", "champion"] == "Dr Amira Hassan"
    assert not found["suggestion"].str.contains("no champions").any()


def test_no_champions_only_when_nobody_qualifies():
    stakeholders, connections = eight_person_map()
    cooler = stakeholders.assign(
        energy=stakeholders["energy"].where(stakeholders["influence"] < 4, 0)
    )
    table = tk.energy_table(cooler, connections)
    assert not table["champion"].any()
    found = tk.introductions(cooler, connections)
    assert found["suggestion"].str.contains("There are no champions on the map yet").all()


@pytest.mark.parametrize(
    ("energy", "high", "hub", "bridge", "expected"),
    [
        (2, True, False, True, ["champion", "connector"]),
        (2, True, True, True, ["champion", "connector"]),
        (2, False, True, False, ["champion"]),
        (2, False, True, True, ["connector"]),  # a hub whose links run between groups
        (1, False, False, True, ["connector"]),
        (0, True, False, True, ["connector", "potential ally"]),
        (0, True, False, False, ["potential ally"]),
        (1, False, False, False, ["potential ally"]),
        (-1, True, True, True, ["sceptic"]),
        (0, False, False, False, ["bystander"]),
    ],
)
def test_roles_follow_the_documented_flags(energy, high, hub, bridge, expected):
    from toolkit.analysis.energy.roles import roles_of

    assert roles_of(energy, high, hub, bridge) == expected


def test_the_grid_names_people_with_several_roles():
    chart = tk.charts.influence_energy_chart(tk.energy_table(*eight_person_map()))
    text = tk.charts.describe(chart)
    assert "1 champion, 1 connector" in text
    assert "Dr Amira Hassan (champion and connector)" in text
    points = next(layer for layer in chart.to_dict()["layer"] if layer["mark"]["type"] == "point")
    assert "roles" in {t["field"] for t in points["encoding"]["tooltip"]}


def test_cli_energy_lists_each_role_a_person_holds(tmp_path):
    folder = tmp_path / "discharge"
    folder.mkdir()
    (folder / "project.yml").write_text("name: Discharge team (fictional)\n", encoding="utf-8")
    for name in ("stakeholders", "connections"):
        (folder / f"{name}.csv").write_bytes((DATA / f"eight-{name}.csv").read_bytes())
    result = CliRunner().invoke(cli, ["energy", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  champion          1  Dr Amira Hassan" in lines
    assert "  connector         2  Dr Amira Hassan, Megan Lloyd" in lines
    assert "no champions" not in result.output.lower()
    assert "Dr Amira Hassan can ask Jo Bell to introduce them to Lisa Grant." in result.output
    kumu = tmp_path / "map.json"
    assert CliRunner().invoke(cli, ["network", str(folder), str(kumu)]).exit_code == 0
    elements = {e["label"]: e for e in json.loads(kumu.read_text())["elements"]}
    assert elements["Dr Amira Hassan"]["tags"] == ["champion", "connector", "bridge"]


def test_energy_table_is_worked_out_once_while_its_inputs_stay_the_same(monkeypatch):
    from toolkit.analysis.energy import roles

    project = tk.sample_project()
    calls = []
    real = roles._energy_table
    monkeypatch.setattr(roles, "_energy_table", lambda *a: calls.append(a) or real(*a))
    monkeypatch.setattr(roles, "_last_table", None)
    first = tk.energy_table(project.stakeholders, project.connections)
    first.loc[0, "role"] = "changed by the caller"  # a copy: the next call is not touched
    again = tk.energy_table(project.stakeholders, project.connections)
    assert len(calls) == 1
    assert again.loc[0, "role"] != "changed by the caller"
    pd.testing.assert_frame_equal(
        again, real(project.stakeholders, project.connections, 4, None, 0.5)
    )
    assert again.attrs["notes"] == first.attrs["notes"]
    # A changed rating, another option or other ties: worked out afresh.
    project.stakeholders.loc[0, "energy"] = -2
    changed = tk.energy_table(project.stakeholders, project.connections)
    assert changed.loc[0, "energy"] == -2 and len(calls) == 2
    tk.energy_table(project.stakeholders, project.connections, high_influence=5)
    tk.energy_table(project.stakeholders, project.connections.iloc[:-1])
    assert len(calls) == 4
