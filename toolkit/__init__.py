"""Follow the Energy: a toolkit for co-design and ethnography in health and care.

Code interviews, check agreement between coders, chart themes and map where
people's energy for change is strongest.  Everything runs on your own machine:
the toolkit makes no network calls.

Examples
--------
>>> import toolkit as tk
>>> project = tk.sample_project()
>>> project.participants["kind"].value_counts().to_dict()
{'survey': 30, 'interview': 18}

The names below are imported when first used, so ``import toolkit`` (and the
command line's ``--help`` and ``--version``) stay quick: pandas and altair load
only when a table or a chart is needed.
"""

from importlib import import_module as _import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING as _TYPE_CHECKING

try:
    __version__ = version("codesign-toolkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
del PackageNotFoundError, version

#: Each public name and the module that defines it.
_HOMES: dict[str, str] = {
    # errors
    "AgreementError": "toolkit.errors",
    "CodebookError": "toolkit.errors",
    "CodingError": "toolkit.errors",
    "EnergyError": "toolkit.errors",
    "ProjectError": "toolkit.errors",
    "RefiError": "toolkit.errors",
    "ToolkitError": "toolkit.errors",
    "TranscriptError": "toolkit.errors",
    # input/output (toolkit.io)
    "Corpus": "toolkit.io.corpus",
    "convert_offsets": "toolkit.io.positions",
    "from_byte_offset": "toolkit.io.positions",
    "from_utf16_offset": "toolkit.io.positions",
    "mismatched_spans": "toolkit.io.positions",
    "read_coded_sheet": "toolkit.io.coded_sheets",
    "read_corpus": "toolkit.io.reading",
    "read_parquet_survey": "toolkit.io.parquet",
    "read_survey": "toolkit.io.surveys",
    "read_transcripts": "toolkit.io.reading",
    "to_byte_offset": "toolkit.io.positions",
    "to_utf16_offset": "toolkit.io.positions",
    # REFI-QDA (toolkit.refi)
    "qdpx_carry_over": "toolkit.refi.writer",
    "read_qdc": "toolkit.refi.codebook",
    "read_qdpx": "toolkit.refi.reader",
    "write_qdc": "toolkit.refi.codebook",
    "write_qdpx": "toolkit.refi.writer",
    # model (toolkit.model)
    "ChosenCodings": "toolkit.model.coding_sources",
    "Code": "toolkit.model.code",
    "Codebook": "toolkit.model.codebook",
    "Project": "toolkit.model.project",
    "check_participants": "toolkit.model.participants",
    "choose_codings": "toolkit.model.coding_sources",
    "codebook_summary": "toolkit.model.summary",
    "Interviewers": "toolkit.model.interviewers",
    "attribution": "toolkit.model.naming",
    "find_interviewers": "toolkit.model.people",
    "import_coded_sheet": "toolkit.model.coded_import",
    "import_interviews": "toolkit.model.importing",
    "merge_coder_file": "toolkit.model.merging",
    "merge_codings": "toolkit.model.codings",
    "new_project": "toolkit.model.project",
    "open_project": "toolkit.model.project",
    "people_taking_part": "toolkit.model.people",
    "project_summary": "toolkit.model.summary",
    "read_codebook": "toolkit.model.codebook",
    "read_codings": "toolkit.model.codings",
    "read_connections": "toolkit.model.stakeholders",
    "read_participants": "toolkit.model.participants",
    "read_stakeholders": "toolkit.model.stakeholders",
    "read_votes": "toolkit.model.stakeholders",
    "sample_project": "toolkit.model.project",
    "sample_project_path": "toolkit.model.project",
    "save_coder_codings": "toolkit.model.codings",
    "save_project": "toolkit.model.project",
    "who_spoke": "toolkit.model.people",
    # agreement
    "Agreement": "toolkit.analysis.agreement.result",
    "cohen_kappa": "toolkit.analysis.agreement.coefficients",
    "disagreements": "toolkit.analysis.agreement.disagreements",
    "fleiss_kappa": "toolkit.analysis.agreement.coefficients",
    "krippendorff_alpha": "toolkit.analysis.agreement.coefficients",
    "percent_agreement": "toolkit.analysis.agreement.coefficients",
    "reliability": "toolkit.analysis.agreement.reliability",
    # rule coding
    "RuleEvaluation": "toolkit.analysis.rule_evaluation",
    "autocode": "toolkit.analysis.autocode.engine",
    "autocode_project": "toolkit.analysis.autocode.engine",
    "code_project_dask": "toolkit.analysis.autocode.dask_engine",
    "evaluate_rules": "toolkit.analysis.rule_evaluation",
    # themes
    "PreparedThemes": "toolkit.analysis.themes.prepare",
    "cooccurrence": "toolkit.analysis.themes.cooccurrence",
    "exemplar_quotes": "toolkit.analysis.themes.quotes",
    "group_tests": "toolkit.analysis.themes.groups",
    "interviewer_labels": "toolkit.analysis.themes.speakers",
    "positive_core": "toolkit.analysis.themes.core",
    "prepare_themes": "toolkit.analysis.themes.prepare",
    "select_codings": "toolkit.analysis.themes.frequencies",
    "theme_by_group": "toolkit.analysis.themes.groups",
    "theme_frequency": "toolkit.analysis.themes.frequencies",
    "dask_theme_tables": "toolkit.analysis.themes.dask_tables",
    "parquet_frames": "toolkit.analysis.themes.dask_tables",
    "theme_prevalence": "toolkit.analysis.themes.frequencies",
    "theme_trend": "toolkit.analysis.themes.trends",
    "vote_trend": "toolkit.analysis.themes.trends",
    # energy
    "energy_profile": "toolkit.analysis.energy.profile",
    "energy_table": "toolkit.analysis.energy.roles",
    "energy_tables": "toolkit.analysis.energy.outputs",
    "export_network": "toolkit.analysis.energy.outputs",
    "follow_the_energy": "toolkit.analysis.energy.ranking",
    "introductions": "toolkit.analysis.energy.roles",
    "write_energy_tables": "toolkit.analysis.energy.outputs",
    # run charts
    "RunChartResult": "toolkit.analysis.run_chart",
    "run_chart_rules": "toolkit.analysis.run_chart",
    "runs_limits": "toolkit.analysis.run_limits",
    # anonymise
    "Pseudonymiser": "toolkit.analysis.anonymise.pseudonymiser",
    "pseudonymise_project": "toolkit.analysis.anonymise.project",
    # presentation (toolkit.present)
    "CodingPanel": "toolkit.present.widgets.coding_panel",
    "DotVote": "toolkit.present.widgets.dot_vote",
    "EnergyCapture": "toolkit.present.widgets.energy_capture",
    "save_chart": "toolkit.present.report.export",
    "write_report": "toolkit.present.report.writer",
}

#: Public modules reached as attributes: ``tk.charts.participants_chart(...)``,
#: ``tk.tables.check_codings(...)``.
_MODULES = {"charts": "toolkit.present.charts", "tables": "toolkit.tables"}

__all__ = sorted([*_HOMES, *_MODULES, "__version__"])


def __getattr__(name: str) -> object:
    if name in _HOMES:
        value = getattr(_import_module(_HOMES[name]), name)
    elif name in _MODULES:
        value = _import_module(_MODULES[name])
    else:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if _TYPE_CHECKING:  # let editors and type checkers see the names
    from toolkit.present import charts  # noqa: F401
