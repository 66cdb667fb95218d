"""The CLI's subcommands, one module each, gathered in a registry.

To add a command, write ``newsmill/commands/<name>.py`` exposing ``COMMAND = Command(...)`` and list the
module in ``COMMAND_MODULES``. A command only parses its arguments, calls the Python API and prints: the
work itself always has a Python entry point first. Every command must be documented in README.md (a test
checks it).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass

#: Exit codes shared by every command.
EXIT_OK = 0
EXIT_FAILED = 1  # some inputs failed (each was reported on stderr)
EXIT_USAGE = 2  # the command line itself is wrong (argparse uses 2 as well)
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT

COMMAND_MODULES: tuple[str, ...] = (
    "newsmill.commands.extract",
    "newsmill.commands.schema",
    "newsmill.commands.ingest",
    "newsmill.commands.search",
    "newsmill.commands.stats",
    "newsmill.commands.duplicates",
    "newsmill.commands.export",
    "newsmill.commands.enrich",
    "newsmill.commands.events",
    "newsmill.commands.serve",
)


class UsageError(Exception):
    """The arguments are inconsistent in a way argparse cannot check; exits with EXIT_USAGE."""


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str | None = None
    epilog: str | None = None


def load_commands() -> list[Command]:
    return [importlib.import_module(name).COMMAND for name in COMMAND_MODULES]
