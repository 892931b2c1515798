"""`python -m qmsdoc …`: the same command line as `qmsdoc …`."""

from qmsdoc.cli import main

main(prog_name="qmsdoc")
