"""``newsmill schema``: print the JSON Schema of the Article objects that json/jsonl output holds."""

from __future__ import annotations

import argparse

from newsmill.commands import EXIT_OK, Command
from newsmill.commands.options import add_output_file_option
from newsmill.models import article_json_schema_text
from newsmill.writers import open_output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_output_file_option(parser)


def run(args: argparse.Namespace) -> int:
    with open_output(args.output) as sink:
        sink.write(article_json_schema_text())
    return EXIT_OK


COMMAND = Command(
    name="schema",
    help="print the JSON Schema of extracted articles",
    description="Print the JSON Schema (draft 2020-12) that every json/jsonl article validates against.",
    add_arguments=add_arguments,
    run=run,
)
