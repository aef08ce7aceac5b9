"""The report a team sends back, ordered like a board paper, and charts saved as pictures.

:func:`~toolkit.present.report.writer.write_report` turns a project into one
self-contained HTML file that opens from an e-mail attachment with no
internet, a Word document (``format="docx"``) or Markdown with the charts as
PNG files beside it (``format="md"``); ``audience="participants"`` writes
the short, plain version for the people who took part.
:func:`~toolkit.present.report.export.save_chart` saves any chart as PNG or
SVG.

================  ================================================================
module            what it holds
================  ================================================================
``blocks``        the pieces: :class:`Report`, sections, figures, tables, quotes
``choices``       what a report counts and shows, chosen once (:class:`ReportChoices`)
``gather``        everything a report draws on, worked out once (:func:`gather`)
``labels``        code labels, never identifiers; top bars and one for the rest
``summary``       the team's ``summary.md`` (Markdown, comments left out)
``actions``       the team's ``actions.csv`` (you said, we did, owner, by when)
``opening``       the title block, the summary (or a marked draft), who took part
``findings``      the themes with their quotes, the positive core, themes by group
``energy``        where the energy is: the ranking, champions, introductions
``closing``       what happens next; how we did it, and its limits
``appendix``      agreement, co-occurrence, group statistics, every chart's numbers
``sections``      :func:`build_report`: the team's report, in board-paper order
``participants``  the participants' version: short, plain, no statistics
``notice``        the privacy notice, and table cells as text, for every format
``html``          the self-contained HTML page (charts fit a phone and a desktop)
``script``        the chart script, bundled once per version and kept in a cache
``docx``          the Word document (heading styles, native tables, alt text)
``markdown``      Markdown, with PNG charts beside it
``export``        :func:`save_chart`: PNG or SVG through vl-convert
``writer``        :func:`write_report`, and what to tell the team afterwards
================  ================================================================
"""
