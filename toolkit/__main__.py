"""Run the command line: ``python -m toolkit``."""

from .cli import main

main()
