"""Agreement between coders: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Two layers live here.

The coefficients (:mod:`~toolkit.analysis.agreement.coefficients`) work on a
long table with one row per rating: which *unit* (a segment, an interview, a
survey answer) a *coder* rated, and the *value* they gave it.
:func:`~toolkit.analysis.agreement.coefficients.krippendorff_alpha`,
:func:`~toolkit.analysis.agreement.coefficients.cohen_kappa`,
:func:`~toolkit.analysis.agreement.coefficients.fleiss_kappa` and
:func:`~toolkit.analysis.agreement.coefficients.percent_agreement` each return
an :class:`~toolkit.analysis.agreement.result.Agreement`: a number you
can round, compare and format like any float, which also carries a bootstrap
confidence interval when you ask for one (``ci=0.95``).

For coded interviews,
:func:`~toolkit.analysis.agreement.reliability.reliability` turns a codings
table into one row per code (and one for all codes together) with every figure
a methods section needs (within each group, with ``by="question"``), and
:func:`~toolkit.analysis.agreement.disagreements.disagreements` lists the
segments where the coders differ, with their text, for a coding meeting.

The modules, from the bottom up:

==================  ===========================================================
``ratings``         a long ratings table checked and turned into integer arrays
``formulas``        each coefficient as a formula over summed per-unit amounts
``bootstrap``       resampling units, and percentile intervals
``result``          :class:`Agreement`, a coefficient with its interval
``coefficients``    the four coefficients
``units``           a codings table turned into who applied which code where
``groups``          each unit's group (``by="question"``), for agreement within groups
``reliability``     the per-code agreement table
``display``         the agreement table as text to read
``disagreements``   the units where coders differ, with their text
``parameters``      the parameter descriptions the functions share
==================  ===========================================================

Words
-----
``unit``
    In ``reliability`` and ``disagreements``, what the coders are
    compared on: ``"segment"`` or ``"interview"`` (``"segments"`` and
    ``"interviews"`` work too).  The coefficients take a table that already
    has one row per rating, and ``unit_column`` names its column of units.
``coder``, ``coders``
    Always coders' names: ``coders=["sam", "nadia"]`` chooses whom to
    compare.  A parameter that names a *column* ends in ``_column``
    (``coder_column="reader"``).
``ci``
    The confidence level of a bootstrap interval, such as ``0.95``; ``None``
    for no interval.  ``True`` (meaning 0.95) and ``False`` (no interval)
    are accepted too.

Confidence intervals
--------------------
Intervals are percentile bootstrap intervals with the *unit* as the thing
resampled: each replicate draws as many units as there are, with replacement,
and recomputes the coefficient, so the ratings of one unit stay together.
Units with the same ratings pattern contribute the same amounts to every
coefficient, so a replicate only needs how many units of each pattern it drew
(a multinomial draw); that keeps 1,000 replicates fast even for 100,000
segments.  The default seed is fixed (``seed=0``), so the same data give the
same interval every time; pass ``seed=None`` for a fresh draw.
"""
