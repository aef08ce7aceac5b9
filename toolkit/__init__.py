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
    "Corpus": "toolkit.io.transcripts",
    "check_participants": "toolkit.io.transcripts",
    "convert_offsets": "toolkit.io.positions",
    "from_byte_offset": "toolkit.io.positions",
    "from_utf16_offset": "toolkit.io.positions",
    "import_interviews": "toolkit.io.transcripts",
    "mismatched_spans": "toolkit.io.positions",
    "read_corpus": "toolkit.io.transcripts",
    "read_survey": "toolkit.io.transcripts",
    "read_transcripts": "toolkit.io.transcripts",
    "to_byte_offset": "toolkit.io.positions",
    "to_utf16_offset": "toolkit.io.positions",
    # REFI-QDA (toolkit.refi)
    "read_qdc": "toolkit.refi.exchange",
    "read_qdpx": "toolkit.refi.exchange",
    "write_qdc": "toolkit.refi.exchange",
    "write_qdpx": "toolkit.refi.exchange",
    # model (toolkit.model)
    "Code": "toolkit.model.codebook",
    "Codebook": "toolkit.model.codebook",
    "Project": "toolkit.model.project",
    "merge_codings": "toolkit.model.codings",
    "new_project": "toolkit.model.project",
    "open_project": "toolkit.model.project",
    "read_codebook": "toolkit.model.codebook",
    "read_codings": "toolkit.model.codings",
    "read_participants": "toolkit.model.project",
    "sample_project": "toolkit.model.project",
    "sample_project_path": "toolkit.model.project",
    "save_coder_codings": "toolkit.model.codings",
    "save_project": "toolkit.model.project",
    # agreement
    "Agreement": "toolkit.analysis.agreement",
    "cohen_kappa": "toolkit.analysis.agreement",
    "disagreements": "toolkit.analysis.agreement",
    "fleiss_kappa": "toolkit.analysis.agreement",
    "krippendorff_alpha": "toolkit.analysis.agreement",
    "percent_agreement": "toolkit.analysis.agreement",
    "reliability": "toolkit.analysis.agreement",
    # rule coding
    "RuleEvaluation": "toolkit.model.codings",
    "autocode": "toolkit.model.codings",
    "evaluate_rules": "toolkit.model.codings",
    # themes
    "cooccurrence": "toolkit.analysis.themes",
    "exemplar_quotes": "toolkit.analysis.themes",
    "group_tests": "toolkit.analysis.themes",
    "positive_core": "toolkit.analysis.themes",
    "select_codings": "toolkit.analysis.themes",
    "theme_by_group": "toolkit.analysis.themes",
    "theme_frequency": "toolkit.analysis.themes",
    "theme_prevalence": "toolkit.analysis.themes",
    "theme_trend": "toolkit.analysis.themes",
    "vote_trend": "toolkit.analysis.themes",
    # energy
    "energy_profile": "toolkit.analysis.energy",
    "energy_table": "toolkit.analysis.energy",
    "export_network": "toolkit.analysis.energy",
    "follow_the_energy": "toolkit.analysis.energy",
    "introductions": "toolkit.analysis.energy",
    "read_connections": "toolkit.analysis.energy",
    "read_stakeholders": "toolkit.analysis.energy",
    "read_votes": "toolkit.analysis.energy",
    # anonymise
    "Pseudonymiser": "toolkit.analysis.anonymise",
    "pseudonymise_project": "toolkit.analysis.anonymise",
    # presentation (toolkit.present)
    "CodingPanel": "toolkit.present.widgets",
    "DotVote": "toolkit.present.widgets",
    "EnergyCapture": "toolkit.present.widgets",
    "save_chart": "toolkit.present.report",
    "write_report": "toolkit.present.report",
}

#: Public modules reached as attributes: ``tk.charts.participants_chart(...)``.
_MODULES = {"charts": "toolkit.present.charts"}

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
