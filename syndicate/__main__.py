"""`python -m syndicate …`: the same CLI as the `syndicate` command (the scheduler's children)."""

from syndicate.cli import main

main()
