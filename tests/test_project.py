"""Opening project folders and the built-in sample project."""

from __future__ import annotations

import pytest

import toolkit as tk
from toolkit import tables
from toolkit.errors import ProjectError


def test_sample_project_is_fictional_and_has_participants(sample):
    assert "fictional" in sample.name.lower()
    assert len(sample.participants) >= 16
    assert {"interview_id", "role", "group"} <= set(sample.participants.columns)


def test_missing_folder(tmp_path):
    with pytest.raises(ProjectError, match="no folder"):
        tk.open_project(tmp_path / "missing")


def test_missing_project_yml(tmp_path):
    with pytest.raises(ProjectError, match=r"project\.yml"):
        tk.open_project(tmp_path)


def test_bad_yaml_names_line(tmp_path):
    (tmp_path / "project.yml").write_text("name: x\ndescription: [unclosed\n")
    with pytest.raises(ProjectError) as info:
        tk.open_project(tmp_path)
    assert "project.yml, line" in str(info.value)


def test_project_yml_must_be_a_mapping(tmp_path):
    (tmp_path / "project.yml").write_text("- a list\n")
    with pytest.raises(ProjectError, match="expected keys"):
        tk.open_project(tmp_path)


def test_duplicate_participant_names_both_rows(tmp_path):
    (tmp_path / "project.yml").write_text("name: Test\n")
    (tmp_path / "participants.csv").write_text("interview_id,role\nint01,nurse\nint01,GP\n")
    with pytest.raises(ProjectError) as info:
        tk.open_project(tmp_path)
    assert "row 3" in str(info.value) and "row 2" in str(info.value)


def test_repr_counts(sample):
    assert "interviews" in repr(sample) and "Hartwell" in repr(sample)


def test_new_project_has_headers_only(tmp_path):
    folder = tk.new_project(tmp_path / "ward-7")
    project = tk.open_project(folder)
    assert project.name == "ward-7"
    assert project.participants.empty and project.stakeholders.empty
    header = (folder / "stakeholders.csv").read_text().splitlines()
    assert len(header) == 1 and header[0].startswith("stakeholder,group,influence")
    assert {"interviews", "codings", "output"} <= {p.name for p in folder.iterdir()}


def test_new_project_with_sample(tmp_path):
    folder = tk.new_project(tmp_path / "try", sample=True)
    assert "fictional" in tk.open_project(folder).name.lower()
    assert (folder / "interviews").is_dir()


def test_new_project_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(ProjectError, match="already has files"):
        tk.new_project(tmp_path)
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_new_project_refuses_a_file(tmp_path):
    (tmp_path / "ward").write_text("not a folder")
    with pytest.raises(ProjectError, match="already has files") as info:
        tk.new_project(tmp_path / "ward")
    assert info.value.path == tmp_path / "ward"


def test_new_project_takes_an_empty_folder(tmp_path):
    assert tk.new_project(tmp_path) == tmp_path
    assert (tmp_path / "project.yml").is_file()


def test_a_file_is_not_a_project_folder(tmp_path):
    (tmp_path / "project.yml").write_text("name: x\n")
    with pytest.raises(ProjectError, match="expected a project folder, but there is no folder"):
        tk.open_project(tmp_path / "project.yml")


def test_read_settings_reads_only_project_yml(tmp_path):
    from toolkit.model.project import read_settings

    (tmp_path / "project.yml").write_text("name: Ward 7\nsettings:\n  language: en-GB\n")
    (tmp_path / "votes.csv").write_text("not, a votes table\n")
    assert read_settings(tmp_path) == {"name": "Ward 7", "settings": {"language": "en-GB"}}
    with pytest.raises(ProjectError, match=r"project\.yml"):
        read_settings(tmp_path / "votes.csv")


def test_a_project_built_in_memory_has_every_table_in_its_schema():
    project = tk.Project()
    for name in tables.SCHEMAS:
        if name != "codebook":
            assert tables.conforms(getattr(project, name), name), name
