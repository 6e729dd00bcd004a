"""``python -m unsilo`` runs the CLI (handy where the console script is not on PATH)."""

from unsilo.cli import main

main()
