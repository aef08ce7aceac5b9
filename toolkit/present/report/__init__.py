"""The report a team sends back, and charts saved as pictures.

:func:`~toolkit.present.report.writer.write_report` turns a project into one
self-contained HTML file that opens from an e-mail attachment with no
internet, or (``format="md"``) Markdown with the charts as PNG files beside
it.  :func:`~toolkit.present.report.export.save_chart` saves any chart as PNG
or SVG.

=============  ===================================================================
module         what it holds
=============  ===================================================================
``sections``   what the report holds: :func:`report_sections`, built from the tables
``notice``     the privacy notice, and table cells as text, for both formats
``html``       the self-contained HTML page
``markdown``   Markdown, with PNG charts beside it
``export``     :func:`save_chart`: PNG or SVG through vl-convert
``writer``     :func:`write_report`
=============  ===================================================================
"""
