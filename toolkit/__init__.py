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
"""

from importlib.metadata import PackageNotFoundError, version

from . import charts
from .agreement import (
    Agreement,
    cohen_kappa,
    disagreements,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability,
)
from .anonymise import Pseudonymiser, pseudonymise_project
from .codebook import Code, Codebook, read_codebook
from .coding import (
    RuleEvaluation,
    autocode,
    evaluate_rules,
    merge_codings,
    read_codings,
    save_coder_codings,
)
from .energy import (
    energy_profile,
    energy_table,
    export_network,
    follow_the_energy,
    introductions,
    read_connections,
    read_stakeholders,
    read_votes,
)
from .errors import (
    AgreementError,
    CodebookError,
    CodingError,
    EnergyError,
    ProjectError,
    RefiError,
    ToolkitError,
    TranscriptError,
)
from .positions import (
    convert_offsets,
    from_byte_offset,
    from_utf16_offset,
    mismatched_spans,
    to_byte_offset,
    to_utf16_offset,
)
from .project import (
    Project,
    new_project,
    open_project,
    read_participants,
    sample_project,
    sample_project_path,
    save_project,
)
from .refi import read_qdc, read_qdpx, write_qdc, write_qdpx
from .report import save_chart, write_report
from .themes import (
    cooccurrence,
    exemplar_quotes,
    group_tests,
    positive_core,
    select_codings,
    theme_by_group,
    theme_frequency,
    theme_prevalence,
    theme_trend,
    vote_trend,
)
from .transcripts import (
    Corpus,
    check_participants,
    import_interviews,
    read_corpus,
    read_survey,
    read_transcripts,
)

try:
    __version__ = version("codesign-toolkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
del PackageNotFoundError, version

__all__ = [
    "Agreement",
    "AgreementError",
    "Code",
    "Codebook",
    "CodebookError",
    "CodingError",
    "Corpus",
    "EnergyError",
    "Project",
    "ProjectError",
    "Pseudonymiser",
    "RefiError",
    "RuleEvaluation",
    "ToolkitError",
    "TranscriptError",
    "__version__",
    "autocode",
    "charts",
    "check_participants",
    "cohen_kappa",
    "convert_offsets",
    "cooccurrence",
    "disagreements",
    "energy_profile",
    "energy_table",
    "evaluate_rules",
    "exemplar_quotes",
    "export_network",
    "fleiss_kappa",
    "follow_the_energy",
    "from_byte_offset",
    "from_utf16_offset",
    "group_tests",
    "import_interviews",
    "introductions",
    "krippendorff_alpha",
    "merge_codings",
    "mismatched_spans",
    "new_project",
    "open_project",
    "percent_agreement",
    "positive_core",
    "pseudonymise_project",
    "read_codebook",
    "read_codings",
    "read_connections",
    "read_corpus",
    "read_participants",
    "read_qdc",
    "read_qdpx",
    "read_stakeholders",
    "read_survey",
    "read_transcripts",
    "read_votes",
    "reliability",
    "sample_project",
    "sample_project_path",
    "save_chart",
    "save_coder_codings",
    "save_project",
    "select_codings",
    "theme_by_group",
    "theme_frequency",
    "theme_prevalence",
    "theme_trend",
    "to_byte_offset",
    "to_utf16_offset",
    "vote_trend",
    "write_qdc",
    "write_qdpx",
    "write_report",
]
