"""``python -m guanzhi_rules`` runs the ``guanzhi`` command line."""

from guanzhi_rules._cli import main

main()
