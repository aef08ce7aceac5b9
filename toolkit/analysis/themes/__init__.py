"""Theme tables: frequency, theme by group, co-occurrence, prevalence, quotes, trends.

Every function here turns codings into a tidy table a team can show a board,
a community meeting or a paper; :mod:`toolkit.present.charts` draws them and
:mod:`toolkit.present.report` puts them in a report.  Nothing here draws,
writes, picks colours or codes text: the tables count the codings they are
given.

=====================  ==================================================================
module                 what it holds
=====================  ==================================================================
``options``            the shared options: ``unit``, ``of``, ``coder`` and their wording
``cleaning``           clean id and text columns before joining
``speakers``           interviewers apart from participants (:func:`interviewer_labels`)
``prepare``            :func:`prepare_themes`: check, choose a coder's, join, once
``counting``           counting units, codebook order, percentages, a table's notes
``quotes``             :func:`exemplar_quotes`, and the name safety net
``frequencies``        :func:`theme_frequency`, :func:`theme_prevalence`,
                       :func:`select_codings`
``groups``             :func:`theme_by_group`, :func:`group_tests`
``cooccurrence``       :func:`cooccurrence`
``trends``             :func:`theme_trend`, :func:`vote_trend`
``core``               :func:`positive_core`
=====================  ==================================================================

Which codings are counted
-------------------------
Each function takes ``coder=``:

``"humans"`` (the default)
    Every human coder's codings, merged: a segment counts as coded with a
    code when *any* human coder applied it, and it counts once however many
    coders did.  Rule codings (``method == "rule"``) are left out.
``"rules"``
    Only the codings made by the codebook's rules, among those given.  The
    theme functions never code by the rules themselves: run
    ``codesign-toolkit code DIR`` or :func:`toolkit.autocode` first.
``"all"``
    Every coding given, human and rule, merged the same way.
a coder's name, or a list of names
    Only those coders' codings (``coder="sam"``), merged.

What is counted
---------------
``unit=`` says what one count is (``"segments"``, ``"interviews"`` or
``"participants"``) and ``of=`` whether themes or codes are counted: see
:mod:`toolkit.analysis.themes.options`.
"""
