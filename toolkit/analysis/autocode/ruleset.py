"""A codebook's rules, numbered and compiled, and the plain way to apply them.

:class:`RuleSet` numbers the codes that have rules and their keywords and
regular expressions; :func:`plain_matches` applies them to one segment with one
``re`` search per rule: the definition the fast scanner must agree with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from toolkit.errors import CodingError
from toolkit.model.codebook import Code, Codebook
from toolkit.model.rules import keyword_pattern, normalise_keyword

__all__ = ["Rule", "RuleSet", "plain_matches"]


class Rule:
    """One keyword or regex of a code, numbered, with its plain `re` form."""

    __slots__ = ("_compiled", "code", "index", "kind", "text")

    def __init__(self, code: int, index: int, kind: str, text: str) -> None:
        self.code, self.index, self.kind, self.text = code, index, kind, text
        self._compiled: re.Pattern | None = None

    @property
    def compiled(self) -> re.Pattern:
        # Compiled on first use: the fast scanner needs only the regexes.
        if self._compiled is None:
            source = keyword_pattern(self.text) if self.kind == "keyword" else self.text
            self._compiled = re.compile(source, re.IGNORECASE)
        return self._compiled

    @property
    def label(self) -> str:
        return f"{self.kind}: {self.text}"


class RuleSet:
    """A codebook's rules, numbered, with their plain `re` forms."""

    def __init__(self, codebook: Codebook) -> None:
        if not isinstance(codebook, Codebook):
            raise CodingError(
                f"expected a Codebook, but found {type(codebook).__name__}",
                hint="read one with tk.read_codebook('codebook.yml'), or use project.codebook",
            )
        self.codes: list[str] = []
        self.rules: list[list[Rule]] = []
        self.vetoes: list[list[Rule]] = []
        for code in codebook:
            if not code.has_rules:
                continue
            c = len(self.codes)
            self.codes.append(code.code)
            self.rules.append(_rules_of(code, c))
            self.vetoes.append([Rule(c, -1, "keyword", normalise_keyword(v)) for v in code.veto])

    @property
    def labels(self) -> list[list[str]]:
        return [[r.label for r in rules] for rules in self.rules]


def _rules_of(code: Code, c: int) -> list[Rule]:
    rules = []
    for keyword in code.keywords:
        rules.append(Rule(c, len(rules), "keyword", normalise_keyword(keyword)))
    for pattern in code.regex:
        rules.append(Rule(c, len(rules), "regex", pattern))
    return rules


# --- the plain way: one `re` search per rule per segment ------------------------


def plain_matches(rules: RuleSet, seg: int, text: str) -> Iterable[tuple[int, ...]]:
    """Yield ``(seg, code, rule, start, end)`` for one segment, the plain way."""
    for c, code_rules in enumerate(rules.rules):
        if any(veto.compiled.search(text) for veto in rules.vetoes[c]):
            continue
        for rule in code_rules:
            for match in rule.compiled.finditer(text):
                yield seg, c, rule.index, match.start(), match.end()
