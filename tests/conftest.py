"""Shared fixtures: the demo corpus (examples/demo), ../shared (skipped when absent), a CLI runner."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newsmill.cli import main

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = PROJECT_ROOT / "examples" / "demo"
#: Third-party benchmark data lives beside the project, never inside it.
SHARED_DIR = PROJECT_ROOT.parent / "shared"

DEMO_FILES = {
    "html_jsonld": "harbourline-courier-ferry-strike.html",
    "html_meta": "valley-ledger-library-reopens.html",
    "html_figure": "northfield-observer-wind-farm.html",
    "html_gz": "coastal-tribune-storm-delia.html.gz",
    "dump_dated": "meridian-post-water-tariffs.txt",
    "dump_plain": "eastgate-herald-rail-tunnel.txt",
}
#: The demo pages in the order `newsmill extract examples/demo` visits them (sorted by name).
DEMO_ORDER = sorted(DEMO_FILES.values())


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO_DIR


@pytest.fixture(scope="session")
def demo_expected() -> dict[str, dict[str, Any]]:
    """examples/demo/expected.json: what a correct extraction of each demo page gives, by file name."""
    return json.loads((DEMO_DIR / "expected.json").read_text(encoding="utf-8"))["pages"]


@pytest.fixture
def html_jsonld() -> Path:
    """HTML with JSON-LD NewsArticle and OpenGraph metadata (WordPress style)."""
    return DEMO_DIR / DEMO_FILES["html_jsonld"]


@pytest.fixture
def html_meta() -> Path:
    """Legacy windows-1252 HTML with plain meta tags and the byline printed in the page."""
    return DEMO_DIR / DEMO_FILES["html_meta"]


@pytest.fixture
def html_figure() -> Path:
    """HTML with a figure/figcaption credit, cookie banner, Most Read list, newsletter box and footer."""
    return DEMO_DIR / DEMO_FILES["html_figure"]


@pytest.fixture
def html_gz() -> Path:
    """Gzipped HTML with schema.org microdata."""
    return DEMO_DIR / DEMO_FILES["html_gz"]


@pytest.fixture
def dump_dated() -> Path:
    """A text dump whose first line carries a `date YYYY-MM-DD ` crawl-date prefix."""
    return DEMO_DIR / DEMO_FILES["dump_dated"]


@pytest.fixture
def dump_plain() -> Path:
    """A text dump without a date prefix."""
    return DEMO_DIR / DEMO_FILES["dump_plain"]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (third-party benchmark data); tests that use it skip when it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is absent (third-party benchmark data beside the project root)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def enrich_stage() -> Any:
    """One loaded enrichment stage (spaCy model, actor table, gazetteer) for the whole test session."""
    pytest.importorskip("spacy")
    from newsmill.enrichment.pipeline import EnrichStage

    stage = EnrichStage()
    stage.setup()
    return stage


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def jsonl(self) -> list[Any]:
        return [json.loads(line) for line in self.out.splitlines()]


class _FakeStdin(io.TextIOWrapper):
    """Piped stdin: bytes behind ``.buffer`` and not a terminal."""

    def __init__(self, data: bytes, tty: bool = False) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``newsmill ARGS...`` in this process; ``stdin=bytes`` pipes data, ``stdin=None`` is a terminal."""

    def run(*args: str | Path, stdin: bytes | None = None) -> CliResult:
        monkeypatch.setattr(sys, "stdin", _FakeStdin(stdin or b"", tty=stdin is None))
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A small fictional database for the web tests (tests/web_site.py): ingested pages, a hostile page,
    a duplicate, and enrichments. Returns (database path, article ids by story slug)."""
    from web_site import build_web_db

    return build_web_db(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(web_db: tuple[Path, dict[str, str]]) -> Iterator[TestClient]:
    """A test client of the web application over ``web_db`` (one app per test module)."""
    from fastapi.testclient import TestClient

    from newsmill.web import create_app

    app = create_app(web_db[0])
    yield TestClient(app)
    app.state.db.close()


@pytest.fixture(scope="module")
def ids(web_db: tuple[Path, dict[str, str]]) -> dict[str, str]:
    """Article ids of ``web_db`` by story slug."""
    return web_db[1]
