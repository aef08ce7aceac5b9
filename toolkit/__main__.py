"""Run the command line: ``python -m toolkit``."""

from toolkit.cli import main

main()
