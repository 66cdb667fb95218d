"""Read-only access to the database for the web server, shared between requests and released when idle.

DuckDB lets no process read a file while another process writes it, and a writer cannot open a file that
a reader holds. So the server never keeps the file open for long: the first request opens a read-only
connection, requests that overlap share it (each through its own cursor), and the last one to finish
closes it after a short linger. An ingest can start whenever the server is idle; while an ingest holds
the file, requests that need the database get ``DatabaseBusy`` (answered 503 with Retry-After).
This module must never open the database for writing.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsmill.errors import NewsmillError
from newsmill.store.search import SearchIndex, index_path_for
from newsmill.store.store import quiet_connection

#: Seconds a connection stays open after the last request, so that a burst of requests pays one open
#: (about 13 ms on the demo database, measured in development) without keeping an ingest locked out for
#: long after the burst.
CONNECTION_LINGER_SECONDS = 1.0


# Every open database, closed at exit before the interpreter tears down: a connection left to be
# destroyed during finalization, or closed by a linger timer thread meanwhile, can abort the process.
_OPEN: weakref.WeakSet[ReadOnlyDatabase] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for database in list(_OPEN):
        database.close()


class DatabaseBusy(NewsmillError):
    """The database is locked by a writer (an ingest is running); try again shortly."""


class DatabaseMissing(NewsmillError):
    """The database file does not exist or is not a newsmill database."""


class ReadOnlyDatabase:
    """A newsmill database opened read-only on demand; ``with db.cursor() as cur:`` per request."""

    def __init__(self, path: str | Path, *, linger: float = CONNECTION_LINGER_SECONDS) -> None:
        self.path = Path(path)
        self.linger = linger
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._closer: threading.Timer | None = None
        self._index: SearchIndex | None = None
        _OPEN.add(self)

    # --- the DuckDB connection --------------------------------------------------------------
    def _open(self) -> duckdb.DuckDBPyConnection:
        if not self.path.is_file():
            raise DatabaseMissing(f"{self.path}: no such database; create it with `newsmill ingest`")
        try:
            con = quiet_connection(duckdb.connect(str(self.path), read_only=True))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseBusy("database busy: an ingest is writing it; try again in a few seconds") from None
            raise DatabaseMissing(f"{self.path}: cannot open the database ({str(exc).splitlines()[0]})") from None
        except duckdb.Error as exc:
            raise DatabaseMissing(f"{self.path}: not a newsmill database ({str(exc).splitlines()[0]})") from None
        try:
            con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.Error:
            con.close()
            raise DatabaseMissing(f"{self.path}: a DuckDB file, but not a newsmill database") from None
        return con

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
                self._closer = None
            if self._con is None:
                self._con = self._open()
            self._users += 1
            cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    self._schedule_close()

    def _schedule_close(self) -> None:
        if self.linger <= 0:
            self._close_now()
            return
        self._closer = threading.Timer(self.linger, self._close_if_idle)
        self._closer.daemon = True
        self._closer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._users == 0:
                self._close_now()

    def _close_now(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @property
    def is_open(self) -> bool:
        return self._con is not None

    def close(self) -> None:
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
                self._closer = None
            self._close_now()

    # --- the search index (tantivy allows readers beside a writer) ------------------------------
    def search_index(self) -> SearchIndex:
        if self._index is None:
            try:
                self._index = SearchIndex(index_path_for(self.path), create=False)
            except (FileNotFoundError, ValueError, OSError) as exc:
                raise DatabaseMissing(f"no search index beside {self.path}; run `newsmill ingest` ({exc})") from None
        return self._index

