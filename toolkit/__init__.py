"""Follow the Energy: a toolkit for co-design and ethnography in health and care.

Code interviews, check agreement between coders, chart themes and map where
people's energy for change is strongest.  Everything runs on your own machine:
the toolkit makes no network calls.

Examples
--------
>>> import toolkit as tk
>>> project = tk.sample_project()
>>> sorted(project.participants["group"].unique())[:2]
['GP practice', 'carer']
"""

from importlib.metadata import PackageNotFoundError, version

from . import charts
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
from .project import (
    Project,
    new_project,
    open_project,
    read_participants,
    sample_project,
    sample_project_path,
)
from .transcripts import Corpus, read_corpus, read_transcripts

try:
    __version__ = version("codesign-toolkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
del PackageNotFoundError, version

__all__ = [
    "AgreementError",
    "CodebookError",
    "CodingError",
    "Corpus",
    "EnergyError",
    "Project",
    "ProjectError",
    "RefiError",
    "ToolkitError",
    "TranscriptError",
    "__version__",
    "charts",
    "new_project",
    "open_project",
    "read_corpus",
    "read_participants",
    "read_transcripts",
    "sample_project",
    "sample_project_path",
]
