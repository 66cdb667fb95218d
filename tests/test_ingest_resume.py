"""Resumability: a repeated ingest is a no-op, and a run killed with SIGKILL resumes with nothing lost or doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from ingest_pages import SITES, STORIES, news_page, story_url, warc_response, write_mixed_crawl, write_warc

import newsmill
from newsmill.executors.local import PARENT_POLL_SECONDS
from newsmill.store import Store

#: Records per batch in the killed subprocess: small, so that a kill lands between batches and inside one.
KILL_BATCH_RECORDS = 3
#: Give up on a subprocess that never reports a batch (a broken install), instead of hanging the suite.
SUBPROCESS_DEADLINE_S = 120


def _many_pages(path: Path, copies: int = 2) -> tuple[Path, int]:
    records = [
        warc_response(story_url(site, story, query=f"page={n}"), news_page(site, story))
        for n in range(copies) for site in SITES for story in STORIES
    ]
    return write_warc(path, records), len(records)


#: Workers check for their parent every PARENT_POLL_SECONDS; give them a few rounds on a busy machine.
ORPHAN_WAIT_S = 10 * PARENT_POLL_SECONDS


def _processes_mentioning(text: str, wait_s: float) -> list[int]:
    """Pids of live processes whose command line contains ``text`` (forked workers share their parent's)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    deadline = time.monotonic() + wait_s
    while True:
        found = []
        for entry in proc.iterdir():
            if entry.name.isdigit():
                try:
                    cmdline = (entry / "cmdline").read_bytes()
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                except OSError:
                    continue
                if text.encode() in cmdline and state != "Z":
                    found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _integrity(db: Path) -> tuple[int, int, int, int]:
    """(records, distinct record keys, documents, distinct document ids) of the store."""
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            """SELECT (SELECT count(*) FROM pages), (SELECT count(DISTINCT record_key) FROM pages),
                      (SELECT count(*) FROM documents), (SELECT count(DISTINCT id) FROM documents)"""
        ).fetchone()
    assert row is not None
    return row


def test_ingesting_the_same_input_again_stores_nothing(tmp_path: Path) -> None:
    files, expect = write_mixed_crawl(tmp_path / "in")
    db = tmp_path / "news.duckdb"
    first = newsmill.ingest(files, db=db, workers=1)
    second = newsmill.ingest(files, db=db, workers=1)
    assert first.run.records == len(expect)
    assert second.run.records == 0 and second.skipped_files == len(files)
    assert second.totals == first.totals
    assert newsmill.search("ferry", db=db).total == 2


def test_a_touched_file_is_read_again_but_its_records_are_not_stored_twice(tmp_path: Path) -> None:
    files, expect = write_mixed_crawl(tmp_path / "in")
    db = tmp_path / "news.duckdb"
    first = newsmill.ingest(files, db=db, workers=1, search=False)
    for path in files:
        os.utime(path, (time.time() + 10, time.time() + 10))
    again = newsmill.ingest(files, db=db, workers=1, search=False)
    assert again.skipped_files == 0
    assert again.run.records == 0 and again.run.already_stored == len(expect)
    assert again.totals == first.totals
    with Store(db, read_only=True) as store:
        assert store.runs()[-1]["already_stored"] == len(expect)  # what `newsmill stats` shows for the run


_KILLABLE_INGEST = textwrap.dedent(
    """
    import sys
    from newsmill.store import writer

    writer.BATCH_RECORDS = {batch}
    flush = writer.StoreWriter.flush

    def reporting_flush(self):
        flush(self)
        print("batch", flush=True)

    writer.StoreWriter.flush = reporting_flush
    import newsmill

    newsmill.ingest(sys.argv[2:], db=sys.argv[1], workers=2)
    print("done", flush=True)
    """
)


def _ingest_and_kill(db: Path, inputs: list[Path], after_batches: int, log: Path) -> bool:
    """Run an ingest in a subprocess and SIGKILL it after ``after_batches`` committed batches.

    Returns False when the run finished before it could be killed.
    """
    script = _KILLABLE_INGEST.format(batch=KILL_BATCH_RECORDS)
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", script, str(db), *map(str, inputs)], stdout=subprocess.PIPE, stderr=err, text=True,
        )
    started = time.monotonic()
    batches = 0
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith("done"):
                return False
            batches += 1
            if batches >= after_batches:
                # Let the writer get into the next batch (or the search index) before the kill.
                time.sleep(0.05 * (after_batches % 3))
                proc.send_signal(signal.SIGKILL)
                return True
            if time.monotonic() - started > SUBPROCESS_DEADLINE_S:
                break
        pytest.fail(f"the ingest subprocess stopped on its own after {batches} batches: {log.read_text()[-2000:]}")
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return True


@pytest.mark.slow
def test_kill_9_during_ingest_then_rerun_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    warc, n_records = _many_pages(tmp_path / "crawl.warc.gz")
    files, expect = write_mixed_crawl(tmp_path / "mixed")
    inputs = [warc, *files]
    total = n_records + len(expect)
    db = tmp_path / "news.duckdb"

    killed = [_ingest_and_kill(db, inputs, after_batches=k, log=tmp_path / f"kill-{k}.log") for k in (2, 5)]
    assert killed[0], "the first run finished before it was killed: make the input larger"
    assert _processes_mentioning(str(db), wait_s=ORPHAN_WAIT_S) == [], "worker processes outlived their killed parent"
    with Store(db, read_only=True) as store:  # a killed run leaves a readable store
        partial = store.counts().records
        statuses = [r["status"] for r in store.runs()]
    assert 0 < partial < total
    assert statuses[0] == "running"  # killed runs never got to record how they ended

    report = newsmill.ingest(inputs, db=db, workers=1)
    assert report.status == "complete"
    assert report.run.records == total - partial
    records, keys, documents, ids = _integrity(db)
    assert records == keys == total
    assert documents == ids
    with Store(db, read_only=True) as store:
        counts = store.counts()
    assert counts.records == counts.articles + counts.duplicates + counts.rejections == total
    # Every canonical article is searchable exactly once after the catch-up.
    assert newsmill.search("", db=db, limit=1).total == counts.articles


def test_the_same_input_named_another_way_is_not_stored_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, expect = write_mixed_crawl(tmp_path / "in")
    db = tmp_path / "news.duckdb"
    monkeypatch.chdir(tmp_path)
    first = newsmill.ingest(["in", "./in/crawl.warc.gz"], db=db, workers=1, search=False)
    assert first.run.records == len(expect)
    for path in files:
        os.utime(path, (time.time() + 10, time.time() + 10))  # so that the files are read again
    again = newsmill.ingest([tmp_path / "in"], db=db, workers=1, search=False)
    assert again.run.records == 0 and again.run.already_stored == len(expect)
    assert _integrity(db)[0] == len(expect)
