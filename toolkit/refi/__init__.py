"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc).

Shared with NVivo, ATLAS.ti, MAXQDA and QualCoder.  A project travels as a
``.qdpx`` file: a zip holding an XML file (``project.qde``) and a
``sources/`` folder with each document's plain text.  A codebook alone
travels as a ``.qdc`` file.

============================  ============================================================
module                        what it does
============================  ============================================================
:mod:`~toolkit.refi.reader`   :func:`read_qdpx`: a ``.qdpx`` becomes a Project
:mod:`~toolkit.refi.writer`   :func:`write_qdpx`: a Project becomes a ``.qdpx``;
                              :func:`qdpx_carry_over`: what would carry over
:mod:`~toolkit.refi.codebook` :func:`read_qdc`, :func:`write_qdc`; codes to and from XML
:mod:`~toolkit.refi.archive`  zip safety limits, entry checks, defensive XML parsing
:mod:`~toolkit.refi.counting` how another tool counted positions; conversion to code points
:mod:`~toolkit.refi.sources`  finding each source's text in the archive
:mod:`~toolkit.refi.selections` selections placed in segments as codings
:mod:`~toolkit.refi.elements`      element helpers, GUIDs, safe names, the schema check
:mod:`~toolkit.refi.report`   the report of what carried over
:mod:`~toolkit.refi.own_settings` the toolkit's own settings, kept in a project note
============================  ============================================================
"""
