"""The pseudonymiser: finds identifiers in text and gives each the same pseudonym every time.

A :class:`Pseudonymiser` is told people's names (:meth:`Pseudonymiser.add_name`)
and finds them, in full and as first name or surname alone (with an initial
after it, as in ``Lisa B.``), and as the labels a transcript gives them
(:meth:`Pseudonymiser.add_label`), besides the identifiers of
:mod:`toolkit.analysis.anonymise.patterns`.  The same person (or
address, or number) gets the same pseudonym, such as ``[Person 3]`` or
``[phone 1]``, however often and wherever it appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from toolkit.analysis.anonymise.patterns import (
    COMMON_WORD_NAMES,
    MONTHS,
    TITLES,
    Found,
    find_identifiers,
)

__all__ = ["Pseudonymiser"]

#: When identifiers overlap at the same place, the first kind here wins.
_PRIORITY = {"email": 0, "nhs_number": 1, "phone": 2, "date_of_birth": 3, "postcode": 4, "name": 5}
#: The words of each kind's pseudonym: "[NHS number 2]".
_LABELS = {
    "email": "email",
    "phone": "phone",
    "postcode": "postcode",
    "nhs_number": "NHS number",
    "date_of_birth": "date of birth",
}
#: Words after which a sentence-initial "Will", "Hope", "May" ... is read as the word.
_FUNCTION_WORDS_TEXT = """
    i you we they he she it there this that these those so not me us him her them be all
    everyone everything your my our his their the a an to if
"""
_FUNCTION_WORDS = set(_FUNCTION_WORDS_TEXT.split())
#: Words before a month that make it a date ("in May"), not a name.
_MONTH_WORDS_TEXT = "in of last next since until till early late mid this by from to before after"
_MONTH_WORDS = set(_MONTH_WORDS_TEXT.split()) | {"during", "every"}


#: An initial after a first name or surname: "Lisa B.", "Okafor M.".
_INITIAL = re.compile(r"[ \t]+([A-Z])\.(?![\w])")


@dataclass
class _Person:
    number: int
    full: str
    parts: list[str]


class Pseudonymiser:
    """Find identifiers in text and give each the same pseudonym every time.

    Parameters
    ----------
    names
        People's names to replace, as written (``"Maya Okafor"``, ``"Mrs
        Kamala Shah"``); first names and surnames alone are replaced too.

    Examples
    --------
    >>> p = Pseudonymiser(["Maya Okafor", "Tom Beckett"])
    >>> p.pseudonymise("Maya rang Tom Beckett on 07700 900123. Okafor agreed.")
    '[Person 1] rang [Person 2] on [phone 1]. [Person 1] agreed.'
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.people: list[_Person] = []
        self.tokens: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = {}
        self._variants: dict[str, set[int]] = {}
        self._full: set[str] = set()
        self._regex: re.Pattern | None = None
        self._originals: dict[tuple[str, str], str] = {}
        for name in names:
            self.add_name(name)

    def add_name(self, name: str) -> str:
        """Register a person's name and return their pseudonym.

        A single word that is already the first name or surname of exactly one
        person (``Maya`` after ``Maya Okafor``) is that person, not a new one.
        """
        words = [w for w in str(name).replace(",", " ").split() if w]
        while words and words[0].lower().rstrip(".") in TITLES:
            words = words[1:]
        full = " ".join(words)
        if not full:
            return ""
        for person in self.people:
            if person.full == full:
                return f"[Person {person.number}]"
        owners = self._variants.get(full, set())
        if len(words) == 1 and len(owners) == 1:
            return f"[Person {next(iter(owners))}]"
        parts = [w for w in words if len(w.rstrip(".")) > 1 and w[0].isupper()]
        person = _Person(len(self.people) + 1, full, parts)
        self.people.append(person)
        self._full.add(full)
        for variant in {full, *parts}:
            self._variants.setdefault(variant, set()).add(person.number)
        self._regex = None
        return f"[Person {person.number}]"

    def add_label(self, label: str, name: str) -> str:
        """Register a transcript's speaker label for the person `name`; return their pseudonym.

        A label that shares a word with the name (``Lisa B.`` or ``Ms Brennan``
        for Lisa Brennan) is replaced whole wherever it appears, so the
        pseudonymised transcript's label is the pseudonym alone.  A label that
        does not (``Moderator``, ``P2``) names a role or a number, not the
        person, and is left as it is.

        Examples
        --------
        >>> p = Pseudonymiser(["Lisa Brennan"])
        >>> p.add_label("Lisa B.", "Lisa Brennan"), p.add_label("Moderator", "Alison Grant")
        ('[Person 1]', '[Person 2]')
        >>> p.pseudonymise("Lisa B.: Yes.\\nModerator: And you, Lisa?")
        '[Person 1]: Yes.\\nModerator: And you, [Person 1]?'
        """
        token = self.add_name(name)
        words = " ".join(str(label).split())
        if not token or not words or words.startswith("["):
            return token
        number = int(token[len("[Person ") : -1])
        person = self.people[number - 1]
        if set(words.replace(",", " ").split()) & set(person.parts) and words != person.full:
            self._variants.setdefault(words, set()).add(number)
            self._regex = None
        return token

    def pseudonym(self, name: str) -> str:
        """Return the pseudonym of a registered full name, first name or surname."""
        key = " ".join(name.split())
        numbers = self._variants.get(key, set())
        if key in self._full:
            numbers = {p.number for p in self.people if p.full == key}
        if not numbers:
            raise KeyError(name)
        return "[Person " + " or ".join(str(n) for n in sorted(numbers)) + "]"

    def _name_regex(self) -> re.Pattern | None:
        if self._regex is None and self._variants:
            variants = sorted(self._variants, key=len, reverse=True)
            alternatives = "|".join(
                r"[ \t\n\u00a0]+".join(re.escape(w) for w in v.split()) for v in variants
            )
            self._regex = re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w]|['’][a-rt-z])")
        return self._regex

    def _token(self, kind: str, value: str, original: str) -> str:
        key = (kind, value)
        if key not in self.tokens:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.tokens[key] = f"[{_LABELS[kind]} {self.counts[kind]}]"
            self._originals[key] = " ".join(original.split())
        return self.tokens[key]

    def find(self, text: str, protected: Iterable[tuple[int, int]] = ()) -> list[Found]:
        """Return the identifiers in `text`, left to right, not overlapping each other.

        Spans in `protected` (such as subtitle timing lines) are never touched.
        """
        found = find_identifiers(text)
        regex = self._name_regex()
        if regex is not None:
            for m in regex.finditer(text):
                item = self._name_found(text, m)
                if item is not None:
                    found.append(item)
        blocked = sorted(protected)
        found.sort(key=lambda f: (f.start, _PRIORITY[f.kind], -(f.end - f.start)))
        kept: list[Found] = []
        for item in found:
            if kept and item.start < kept[-1].end:
                continue
            if any(a < item.end and item.start < b for a, b in blocked):
                continue
            if not item.replacement:
                original = text[item.start : item.end]
                item.replacement = self._token(item.kind, item.value, original)
            kept.append(item)
        return kept

    def _name_found(self, text: str, m: re.Match) -> Found | None:
        variant = " ".join(m[0].split())
        replacement = self.pseudonym(variant)
        single = " " not in variant and variant not in self._full
        initial = _INITIAL.match(text, m.end()) if single else None
        if initial and any(
            initial[1] in {w[0] for w in self.people[n - 1].parts if w != variant}
            for n in self._variants[variant]
        ):
            # "Lisa B." for Lisa Brennan: the initial goes with the name.
            return Found("name", m.start(), initial.end(), replacement)
        if single and variant in COMMON_WORD_NAMES and _sentence_start(text, m.start()):
            following = re.match(r"[ \t]+([A-Za-z']+)", text[m.end() : m.end() + 24])
            if following and following[1].lower() in _FUNCTION_WORDS:
                # "Will you...", "Hope so": most likely the word, so a person checks it.
                return Found("name", m.start(), m.end(), replacement, "review")
        if single and re.fullmatch(MONTHS, variant) and _is_date_context(text, m):
            return None
        return Found("name", m.start(), m.end(), replacement)

    def pseudonymise(self, text: str, protected: Iterable[tuple[int, int]] = ()) -> str:
        """Return `text` with every identifier replaced (see :meth:`find`)."""
        return self.replace(text, self.find(text, protected))[0]

    @staticmethod
    def replace(text: str, found: list[Found]) -> tuple[str, list[tuple[Found, int, int]]]:
        """Apply `found` to `text`; return the new text and each change's new span."""
        parts, placed, last, shift = [], [], 0, 0
        for item in found:
            new = item.replacement if item.action == "replaced" else text[item.start : item.end]
            parts.append(text[last : item.start])
            parts.append(new)
            start = item.start + shift
            placed.append((item, start, start + len(new)))
            shift += len(new) - (item.end - item.start)
            last = item.end
        parts.append(text[last:])
        return "".join(parts), placed

    def key(self) -> pd.DataFrame:
        """Return the key from each original to its pseudonym (keep it apart from the data)."""
        rows = [
            {"kind": "name", "original": p.full, "replacement": f"[Person {p.number}]"}
            for p in self.people
        ]
        rows += [
            {"kind": kind, "original": self._originals[(kind, value)], "replacement": token}
            for (kind, value), token in self.tokens.items()
        ]
        return pd.DataFrame(rows, columns=["kind", "original", "replacement"])


def _sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 20) : at].rstrip(" \t\"'“‘(*[")
    return not before or before[-1] in ".!?\n:…—-" or before.endswith("**")


def _is_date_context(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 12) : m.start()].lower().split()
    after = text[m.end() : m.end() + 6]
    return bool(
        (before and (before[-1].rstrip(",") in _MONTH_WORDS or before[-1][:1].isdigit()))
        or re.match(r",?[ \t]+\d", after)
    )
