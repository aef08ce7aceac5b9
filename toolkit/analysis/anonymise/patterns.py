"""What an identifier looks like: e-mail addresses, NHS numbers, UK phone numbers and
postcodes, and dates of birth.

:func:`find_identifiers` finds them all in a text (names are found by
:class:`~toolkit.analysis.anonymise.pseudonymiser.Pseudonymiser`, which knows
whose names to look for).  An NHS number counts only when its check digit is
valid (:func:`nhs_number_is_valid`); a phone number only when it has the
length of a UK number (:func:`is_uk_phone`); a date only after "born", "DOB"
or "date of birth".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "COMMON_WORD_NAMES",
    "DATE_OF_BIRTH",
    "EMAIL",
    "MONTHS",
    "NHS_NUMBER",
    "PHONE",
    "POSTCODE",
    "TITLES",
    "Found",
    "find_identifiers",
    "is_uk_phone",
    "nhs_number_is_valid",
]

#: Names that are also everyday words.  At the start of a sentence they are
#: left alone and listed for review, since "Will you..." or "Hope so" is far
#: more often the word than the name.
_COMMON_WORDS = """
    Amber April Art Bill Bob Brook Brown Bunny Carol Chance Chase Cook Crystal Dawn Don Dot
    Faith Fern Frank Gay Grace Green Guy Hall Hazel Heather Holly Honey Hope Hunter Iris Ivy
    Jack Jade Jay Jewel Joy June King Lily Long Mark May Max Merry Miles Penny Pearl Pat
    Price Ray Rich Rob Robin Rose Ruby Rush Sage Sandy Skye Sky Star Sue Summer Sunny Violet
    Wade Ward Will Wood Young
"""
COMMON_WORD_NAMES = frozenset(_COMMON_WORDS.split())
#: The months, in full and shortened, as a regular expression's alternatives.
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
#: Titles left off a person's name ("Mrs Kamala Shah" is Kamala Shah).
TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "rev", "sir", "dame", "cllr"}
)

EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
NHS_NUMBER = re.compile(r"(?<![\w+])(?:\d{3}([ -])\d{3}\1\d{4}|\d{10})(?![\w])")
PHONE = re.compile(
    r"(?<![\w+])(?:\+44[ \t-]?(?:\(0\)[ \t-]?)?|\(?0)\d{2,4}\)?(?:[ \t-]?\d{3,6}){1,3}"
    r"(?![\w])"
)
POSTCODE = re.compile(
    r"(?<![\w])(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})(?![\w])"
)
_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:{MONTHS})\.?,?[ \t]+\d{{4}}"
    rf"|(?:{MONTHS})\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})"
)
#: A date after "born", "DOB", "date of birth" or "birthday"; the group ``date`` is the date.
DATE_OF_BIRTH = re.compile(
    r"(?i:\b(?:born(?:[ \t]+on)?|d\.?o\.?b\.?|date[ \t]+of[ \t]+birth(?:[ \t]+is)?"
    r"|birthday(?:[ \t]+is)?))[ \t]*[:\-]?[ \t]*(?P<date>" + _DATE + r")(?![\w])"
)


@dataclass
class Found:
    """An identifier found in a text, and what to do with it.

    Attributes
    ----------
    kind
        ``email``, ``nhs_number``, ``phone``, ``date_of_birth``, ``postcode``
        or ``name``.
    start, end
        Where it is in the text (end exclusive).
    replacement
        Its pseudonym, such as ``[phone 1]`` (filled in by the pseudonymiser).
    action
        ``replaced``, or ``review`` for a place left unchanged for a person
        to check.
    value
        The identifier written one way (digits only, lower case), so that
        equal ones share a pseudonym.
    """

    kind: str
    start: int
    end: int
    replacement: str = ""
    action: str = "replaced"
    value: str = ""


def nhs_number_is_valid(number: str) -> bool:
    """Return whether ten digits pass the NHS number's modulus 11 check.

    Examples
    --------
    >>> nhs_number_is_valid("943 476 5919"), nhs_number_is_valid("943 476 5918")
    (True, False)
    """
    digits = re.sub(r"\D", "", number)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def is_uk_phone(candidate: str) -> bool:
    """Return whether ``candidate`` has the shape and length of a UK phone number.

    Examples
    --------
    >>> is_uk_phone("07700 900123"), is_uk_phone("+44 (0)20 7946 0018"), is_uk_phone("0900 12")
    (True, True, False)
    """
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("440"):
        digits = "0" + digits[3:]
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    if not digits.startswith("0") or digits[1:2] not in set("123578"):
        return False
    # Groups are separated by single spaces or hyphens, never run together oddly.
    if re.search(r"[ \t\n-]{2,}", candidate):
        return False
    if digits[1] == "1":
        return len(digits) in (10, 11)
    return len(digits) == 11


def find_identifiers(text: str) -> list[Found]:
    """Return the e-mail addresses, NHS numbers, phone numbers, dates of birth and
    postcodes in ``text``, kind by kind (they may overlap: the pseudonymiser
    chooses between them).

    Examples
    --------
    >>> [(f.kind, f.value) for f in find_identifiers("Ring 07700 900123 or a@b.org")]
    [('email', 'a@b.org'), ('phone', '7700900123')]
    """
    found: list[Found] = []
    for m in EMAIL.finditer(text):
        found.append(Found("email", m.start(), m.end(), value=m[0].lower()))
    for m in NHS_NUMBER.finditer(text):
        if nhs_number_is_valid(m[0]):
            found.append(Found("nhs_number", m.start(), m.end(), value=re.sub(r"\D", "", m[0])))
    for m in PHONE.finditer(text):
        candidate = m[0]
        # "07700 900123 456 times": drop trailing groups until a phone number is left.
        while candidate and not is_uk_phone(candidate):
            cut = max(candidate.rfind(" "), candidate.rfind("-"), candidate.rfind("\t"))
            candidate = candidate[:cut] if cut > 0 else ""
        if candidate:
            digits = re.sub(r"\D", "", candidate)[-10:]
            found.append(Found("phone", m.start(), m.start() + len(candidate), value=digits))
    for m in DATE_OF_BIRTH.finditer(text):
        value = " ".join(m["date"].lower().split())
        found.append(Found("date_of_birth", m.start("date"), m.end("date"), value=value))
    for m in POSTCODE.finditer(text):
        found.append(Found("postcode", m.start(), m.end(), value="".join(m[0].split())))
    return found
