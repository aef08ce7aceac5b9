"""The toolkit's own settings inside a ``.qdpx``, so an export and re-import loses nothing.

REFI-QDA has no place for a project's settings (``settings:`` in
``project.yml``: ``pseudonymised``, ``interviewers``, reading options and the
rest).  :func:`~toolkit.refi.writer.write_qdpx` keeps them in a project note
titled :data:`SETTINGS_NOTE`, as YAML, which other tools show as an ordinary
memo; :func:`~toolkit.refi.reader.read_qdpx` finds that note and puts the
settings back (the note itself is not kept as a note).

Examples
--------
>>> text = settings_note_text({"pseudonymised": True, "interviewers": ["Sam"]})
>>> print(text.splitlines()[-3:])
['pseudonymised: true', 'interviewers:', '- Sam']
>>> settings_from_note(text)
{'pseudonymised': True, 'interviewers': ['Sam']}
>>> settings_from_note("A memo someone wrote in NVivo.") is None
True
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from toolkit.wording import plain

__all__ = ["SETTINGS_NOTE", "settings_from_note", "settings_note_text", "settings_to_keep"]

#: The title of the project note holding the toolkit's settings.
SETTINGS_NOTE = "codesign-toolkit settings (project.yml)"
_FIRST_LINE = "# Follow the Energy (codesign-toolkit): this project's settings from project.yml."
_HEAD = (
    f"{_FIRST_LINE}\n"
    "# Kept here so that importing this file into the toolkit again loses nothing.\n"
    "# Other tools can leave this note alone.\n"
)


def settings_to_keep(settings: dict[str, Any] | None) -> dict[str, Any]:
    """Return the settings the note keeps: all but the notes (exported as notes of their own)."""
    return {k: v for k, v in (settings or {}).items() if k != "notes"}


def settings_note_text(settings: dict[str, Any]) -> str:
    """Return the note's text: a comment saying what it is, then the settings as YAML."""
    yaml = YAML()  # round-trip mode keeps the settings in their order
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(plain(settings), buffer)
    return _HEAD + buffer.getvalue()


def settings_from_note(text: str) -> dict[str, Any] | None:
    """Return the settings in a note written by :func:`settings_note_text`, or None.

    None when the note is not one of ours, or its YAML no longer reads as a
    mapping (someone edited it in another tool).
    """
    if not text.lstrip().startswith(_FIRST_LINE):
        return None
    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError:
        return None
    return data if isinstance(data, dict) else None
