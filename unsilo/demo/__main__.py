"""``python -m unsilo.demo``: serve the demo shop in the foreground (the benchmark's server).

Example: ``python -m unsilo.demo --pages 10000 --seed 7 --port 0`` prints its URL first.
"""

from __future__ import annotations

import argparse

from unsilo.demo.plan import MAX_PAGES, MIN_PAGES
from unsilo.demo.server import ROBOTS_MODES, serve_forever
from unsilo.demo.shop import DemoShop


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m unsilo.demo", description=__doc__)
    parser.add_argument("--pages", type=int, default=1000, help=f"{MIN_PAGES}–{MAX_PAGES}")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--robots", choices=ROBOTS_MODES, default="polite")
    args = parser.parse_args(argv)
    if not MIN_PAGES <= args.pages <= MAX_PAGES:
        parser.error(f"--pages must be between {MIN_PAGES} and {MAX_PAGES}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    serve_forever(DemoShop(pages=args.pages, seed=args.seed), args.host, args.port, args.robots)


if __name__ == "__main__":
    main()
