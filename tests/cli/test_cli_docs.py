"""Every CLI command is documented in README.md (the sqlite-utils rule, DESIGN.md), and every
command that opens the database spells its option the same way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import typer
from typer.core import TyperGroup

from syndicate.cli import app
from tests.support.paths import REPOSITORY

README = (REPOSITORY / "README.md").read_text(encoding="utf-8")


def command_paths(
    command: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(names, command) for every command and sub-command under the app, however deep."""
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from command_paths(sub, (*path, name))
    else:
        yield path, command


COMMANDS = list(command_paths(typer.main.get_command(app)))


def documented(path: tuple[str, ...]) -> bool:
    """`syndicate sources test` counts when README says `syndicate sources list | check | test`."""
    *group, name = path
    prefix = "".join(f"{re.escape(word)} " for word in group)
    return re.search(rf"\bsyndicate {prefix}(?:[\w-]+ \| )*{re.escape(name)}\b", README) is not None


def test_the_walk_finds_commands_and_sub_commands() -> None:
    paths = {path for path, _ in COMMANDS}
    assert {("crawl",), ("extract",), ("sources", "check"), ("db", "upgrade")} <= paths


def test_every_command_is_documented_in_the_readme() -> None:
    missing = [" ".join(path) for path, _ in COMMANDS if not documented(path)]
    assert missing == []


def test_every_database_option_is_the_shared_db_option() -> None:
    options = {
        " ".join(path): (tuple(param.opts), getattr(param, "help", None))
        for path, command in COMMANDS
        for param in command.params
        if param.name == "db"
    }
    assert {"crawl", "runs", "demo", "ingest", "reextract", "db upgrade"} <= set(options)
    assert len(set(options.values())) == 1, options
    assert next(iter(options.values()))[0] == ("--db",)
