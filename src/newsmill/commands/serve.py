"""``newsmill serve``: the web application and REST API over a database, with uvicorn."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsmill.commands import EXIT_OK, EXIT_USAGE, Command
from newsmill.commands.options import add_db_option, positive_int

#: Loopback only unless asked: the app has no authentication.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def port_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {value!r}") from None
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1..65535, got {number}")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s, loopback only)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, help="port (default: %(default)s)")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help="server processes, each with its own read-only connection (default: %(default)s); pages are "
        "rendered in Python, so many concurrent clients need about one per core",
    )


def run(args: argparse.Namespace) -> int:
    from newsmill.web import serve

    if not Path(args.db).is_file():
        print(f"newsmill: {args.db}: no such database; create it with `newsmill ingest`", file=sys.stderr)
        return EXIT_USAGE
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"newsmill: warning: listening on {args.host}: the app has no authentication", file=sys.stderr)
    serve(args.db, host=args.host, port=args.port, workers=args.workers)
    return EXIT_OK


COMMAND = Command(
    name="serve",
    help="the web application and REST API over a database (read-only)",
    epilog="examples:\n  newsmill serve --db news.duckdb --port 8000   # then open http://127.0.0.1:8000/\n"
    "  newsmill serve --db news.duckdb --workers 4   # many concurrent clients",
    add_arguments=add_arguments,
    run=run,
)
