"""Pseudonymise interviews before analysis, keeping an audit of every change.

:func:`~toolkit.analysis.anonymise.project.pseudonymise_project` copies a
whole project folder to a new folder, replacing in the interviews,
``participants.csv``, the other tables, the codebook, notes and
``project.yml``:

* people's names: each name in ``participants.csv`` (column ``name``, and
  the ``speaker`` label that holds it, such as ``Lisa B.``), in the
  stakeholder map, connections and dot votes, and in a list you give, in
  full and as first name or surname alone (with an initial after it),
  matched case-sensitively as capitalised whole words;
* e-mail addresses, UK phone numbers and UK postcodes;
* NHS numbers: ten digits, with or without spaces, only when the check digit
  (modulus 11) is valid;
* dates of birth: a date after "born", "DOB" or "date of birth".

The same person (or address, or number) gets the same pseudonym everywhere in
the project, for example ``[Person 3]`` or ``[phone 1]``.  The original
folder is never changed.  The new folder holds an audit table,
``pseudonymisation-audit.csv``, with one row per replacement: what kind, in
which file, on which line and column of the new file, and what it was
replaced by, but never the original words, so the audit can travel with the
pseudonymised data.  A key from originals to pseudonyms is written only when
you ask for it, to a file outside the new folder.

Automatic pseudonymisation catches what it is told to look for.  Read the
``review`` rows of the audit (capitalised common words that are also names,
such as "Will" at the start of a sentence, left unchanged) and skim the
transcripts before sharing them.

The modules:

:mod:`~toolkit.analysis.anonymise.patterns`
    what e-mail addresses, NHS numbers, phone numbers, postcodes and dates of
    birth look like;
:mod:`~toolkit.analysis.anonymise.pseudonymiser`
    :class:`~toolkit.analysis.anonymise.pseudonymiser.Pseudonymiser`: names,
    and one pseudonym per person or identifier;
:mod:`~toolkit.analysis.anonymise.names`
    every person a project folder names, gathered into one pseudonymiser;
:mod:`~toolkit.analysis.anonymise.documents`
    rewriting transcripts, Word documents, surveys, tables and YAML files;
:mod:`~toolkit.analysis.anonymise.codings`
    moving coded spans to the pseudonymised text;
:mod:`~toolkit.analysis.anonymise.audit`
    the audit table;
:mod:`~toolkit.analysis.anonymise.project`
    the whole folder, read back and checked.
"""
