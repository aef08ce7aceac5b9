"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc).

Shared with NVivo, ATLAS.ti, MAXQDA and QualCoder.
"""
