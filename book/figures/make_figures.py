"""Draw the book's diagrams as accessible SVG, from code, so they stay diffable.

    python book/figures/make_figures.py          # rewrite every figure
    python book/figures/make_figures.py --check  # exit 1 if a figure is out of date

Each figure has a <title> and a <desc> (read by screen readers), text as real
text (searchable, sharp at any zoom), colours from the toolkit's Okabe-Ito
palette and a contrast of at least 4.5:1 between text and its background.
The drawings live in the ``drawings`` package beside this script, one module
a figure.  tests/test_figures.py checks them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from drawings.cycle import four_d_cycle  # noqa: E402
from drawings.ebcd import ebcd_stages  # noqa: E402
from drawings.grid import influence_energy_grid  # noqa: E402
from drawings.layers import toolkit_layers  # noqa: E402
from drawings.networks import hierarchy_and_network  # noqa: E402
from drawings.pipeline import files_to_report  # noqa: E402

#: Each figure's file name (in this folder) and the function that draws it.
FIGURES = {
    "toolkit-layers.svg": toolkit_layers,
    "four-d-cycle.svg": four_d_cycle,
    "influence-energy-grid.svg": influence_energy_grid,
    "hierarchy-and-network.svg": hierarchy_and_network,
    "ebcd-stages.svg": ebcd_stages,
    "files-to-report.svg": files_to_report,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args()
    stale = []
    for name, draw in FIGURES.items():
        path = HERE / name
        new = draw()
        if not path.is_file() or path.read_text(encoding="utf-8") != new:
            stale.append(name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("out of date (run python book/figures/make_figures.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
