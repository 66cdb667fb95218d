"""The web application: a REST API under /api (OpenAPI schema at /openapi.json) and server-rendered pages.

Every page has a JSON twin (the same path with ``?format=json``, and an /api route), both built from the
same ``queries`` call. Article text is hostile input: templates autoescape everything, links are drawn
only for http(s) URLs, and a strict Content-Security-Policy forbids inline scripts and ``eval`` (charts
are rendered from JSON data blocks by static/charts.js with Vega's expression interpreter).
Every query parameter is bounded and validated; malformed input gets a 4xx with a message. This module
must never write to the database (see ``database.py`` for how it shares the file with an ingest).
"""

from __future__ import annotations

import calendar
import contextlib
import os
import re
from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote_plus, urlencode, urlsplit

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsmill import __version__
from newsmill.store.search import MAX_QUERY_CHARS
from newsmill.web import charts, queries, schemas
from newsmill.web.database import CONNECTION_LINGER_SECONDS, DatabaseBusy, DatabaseMissing, ReadOnlyDatabase
from newsmill.web.facets import FRESHNESS_SECONDS, FacetCache

HERE = Path(__file__).parent
#: Names the database for `app_from_environment` (the server's worker processes).
DB_ENVIRONMENT_VARIABLE = "NEWSMILL_DB"
#: Sent with 503 answers while an ingest holds the database: a hint, not a promise (an ingest holds the
#: file for its whole run); a few seconds keeps a waiting client responsive without hammering.
RETRY_AFTER_SECONDS = 5
#: Page size bound: a search page of 100 results takes about twice one of 20 (33 against 16 ms median,
#: 10,000-article store, shared 2-core development machine); more is a job for `newsmill export`.
MAX_LIMIT = 100
#: Deepest offset accepted: BM25 paging cost grows with offset + limit (tantivy collects them all).
MAX_OFFSET = 10_000
#: Longest publisher, author, tag, language or entity filter: real names are far shorter.
MAX_FILTER_CHARS = 200
#: Article ids are 20 hex digits today; the pattern leaves room for other id schemes, not for paths.
ARTICLE_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
ACTOR_CODE_PATTERN = r"^[A-Za-z0-9]{1,32}$"
PLOVER_PATTERN = r"^[A-Za-z_-]{1,40}$"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: Longer URLs are shown as text, not links (browsers and servers commonly stop at a few thousand).
MAX_LINK_CHARS = 4096
# Control characters have no place in a query parameter; NUL would also reach DuckDB and tantivy.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Format = Literal["html", "json"]
Period = Literal["day", "week", "month"]

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"results per page (1..{MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"results to skip (0..{MAX_OFFSET})")]
Filter = Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)]
ArticleId = Annotated[str, PathParam(pattern=ARTICLE_ID_PATTERN, description="the article id")]
ActorCode = Annotated[str, PathParam(pattern=ACTOR_CODE_PATTERN, description="a CAMEO-style actor code, e.g. IRNMIL")]
ActorFilter = Annotated[
    str | None, Query(pattern=ACTOR_CODE_PATTERN, description="actor code prefix: IRN matches IRNMIL")
]
FormatParam = Annotated[Format, Query(description="html (the page) or json (its JSON twin)")]
PeriodParam = Annotated[Period, Query(description="time bucket of the series")]


async def database_cursor(request: Request) -> AsyncIterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor for one request (the dependency every data route declares). Async: taking a
    cursor from the open connection is instant (opening it, once per burst of requests, about 13 ms), and
    an async dependency saves two thread-pool hops per request."""
    with request.app.state.db.cursor() as cur:
        yield cur


class SecurityHeaders:
    """ASGI middleware: the security headers on every answer, and query strings with control characters
    refused before any route sees them. (Plain ASGI: Starlette's BaseHTTPMiddleware costs more per request.)"""

    def __init__(self, app: ASGIApp, refuse: Callable[[Request], Response]) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        query = scope.get("query_string", b"").decode("latin-1")
        if _CONTROL_RE.search(query) or _CONTROL_RE.search(unquote_plus(query)):
            await self.refuse(Request(scope))(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(database_cursor)]


def safe_url(value: object) -> str | None:
    """The URL when it may be a link (http or https with a host), else None: no javascript:, data:..."""
    if not isinstance(value, str) or len(value) > MAX_LINK_CHARS:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value.strip()
    return None


def month_bounds(month: str) -> tuple[str, str]:
    """First and last day of a 'YYYY-MM' month (for the date facet's since/until link)."""
    year, number = (int(part) for part in month.split("-"))
    last = calendar.monthrange(year, number)[1]
    return f"{year:04d}-{number:02d}-01", f"{year:04d}-{number:02d}-{last:02d}"


class SearchParams:
    def __init__(
        self,
        q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description='words; "a phrase", +must, -not, title:word')] = "",
        since: Annotated[date | None, Query(description="published on or after (YYYY-MM-DD)")] = None,
        until: Annotated[date | None, Query(description="published on or before (YYYY-MM-DD)")] = None,
        publisher: Filter = None,
        author: Filter = None,
        tag: Filter = None,
        language: Filter = None,
        entity: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS, description="entity name or canonical name")] = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> None:
        if since and until and since > until:
            raise HTTPException(422, f"since ({since}) is after until ({until})")
        self.q, self.since, self.until = q, since, until
        self.publisher, self.author, self.tag, self.language, self.entity = publisher, author, tag, language, entity
        self.limit, self.offset = limit, offset

    def as_kwargs(self) -> dict[str, Any]:
        return dict(self.__dict__)


def create_app(
    db_path: str | Path,
    *,
    linger: float = CONNECTION_LINGER_SECONDS,
    source_dirs: list[Path] | None = None,
    facet_freshness: float = FRESHNESS_SECONDS,
) -> FastAPI:
    """The app over the database at ``db_path`` (opened read-only, per burst of requests).

    ``source_dirs``: where relative page paths recorded by the ingest are looked up for the original-page
    view (default: the current directory, then the database's folder). ``linger``: seconds the database
    stays open after the last request; ``facet_freshness``: seconds between checks for a changed store.
    """
    db = ReadOnlyDatabase(db_path, linger=linger)
    bases = source_dirs or [Path.cwd(), Path(db_path).resolve().parent]
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
    env.filters["safe_url"] = safe_url
    env.globals["month_bounds"] = month_bounds
    templates = Jinja2Templates(env=env)
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsmill",
        version=__version__,
        description="Search and read the articles, enrichments (entities, quotes, places, events) and ingest runs of a "
        "newsmill database. Read-only. Field names are those of the Article and Enrichment models.",
        # The stock documentation pages load scripts from a CDN and run inline code, which the CSP forbids:
        # the schema itself is served at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.db = db
    facet_cache = FacetCache(facet_freshness)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    app.add_middleware(
        SecurityHeaders, refuse=lambda request: error(request, 400, "control characters are not allowed in query parameters")
    )

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api") or request.query_params.get("format") == "json"

    def error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        # The headers are set here too: a 500 is answered outside the middleware.
        headers = {**SECURITY_HEADERS, **(headers or {})}
        if wants_json(request):
            return JSONResponse({"detail": message}, status, headers=headers)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        message = "; ".join(_describe(e) for e in exc.errors())
        return error(request, 422, message or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(DatabaseBusy)
    async def busy(request: Request, exc: DatabaseBusy) -> Response:
        return error(request, 503, str(exc), {"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(DatabaseMissing)
    async def missing(request: Request, exc: DatabaseMissing) -> Response:
        return error(request, 503, str(exc))

    @app.exception_handler(duckdb.Error)
    async def database_error(request: Request, exc: duckdb.Error) -> Response:
        # A query that a valid request cannot trigger; say what failed without the SQL.
        return error(request, 500, f"database error: {type(exc).__name__}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        return error(request, 500, f"internal error ({type(exc).__name__}); the server log has the details")

    def page(request: Request, fmt: Format, template: str, data: dict[str, Any], **extra: Any) -> Response:
        if fmt == "json":
            return JSONResponse(data)
        json_twin = request.url.path + "?" + urlencode({**request.query_params, "format": "json"})
        return templates.TemplateResponse(request, template, {"data": data, "json_twin": json_twin, **extra})

    # --- data, shared by the API and the pages ------------------------------------------------
    def search_data(params: SearchParams) -> dict[str, Any]:
        """Search needs the database only for facet values: while an ingest holds it, the search index
        (which allows readers beside its writer) and the last facet snapshot still answer."""
        stale = False
        try:
            with db.cursor() as cur:
                snapshot = facet_cache.get(cur)
        except DatabaseBusy:
            last = facet_cache.last()
            if last is None:
                raise
            snapshot, stale = last, True
        data = queries.search_articles(db.search_index(), snapshot, **params.as_kwargs())
        if stale:
            data["warnings"].append("an ingest is writing the database: facet counts may be out of date")
        return data

    def article_data(cur: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any]:
        art = queries.article(cur, article_id)
        if art is None:
            raise HTTPException(404, f"no article with id {article_id}")
        enr = queries.enrichment(cur, article_id, art)
        return {
            "article": art.model_dump(mode="json"),
            "enrichment": enr.model_dump(mode="json") if enr else None,
            "duplicates": queries.duplicates_of(cur, article_id),
            "_article": art,
            "_enrichment": enr,
        }

    def public(data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if not k.startswith("_")}

    def actor_data(cur: duckdb.DuckDBPyConnection, code: str, period: Period) -> dict[str, Any]:
        profile = queries.actor_profile(cur, code.upper(), period=period)
        if profile is None:
            raise HTTPException(404, f"no actor with code {code.upper()} in the events or entities")
        return profile

    # --- REST API -------------------------------------------------------------------------
    @app.get("/api/articles", tags=["articles"], summary="Search articles (BM25) with facets",
             response_model=None, responses={200: {"model": schemas.SearchPage}})
    def api_search(params: Annotated[SearchParams, Depends()]) -> dict[str, Any]:
        return search_data(params)

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article with its enrichment",
             response_model=None, responses={200: {"model": schemas.ArticleView}})
    def api_article(cur: Cursor, article_id: ArticleId) -> dict[str, Any]:
        return public(article_data(cur, article_id))

    @app.get("/api/articles/{article_id}/blocks", tags=["articles"], summary="The page's blocks, roles and scores",
             response_model=None, responses={200: {"model": schemas.PageBlocks}})
    def api_blocks(cur: Cursor, article_id: ArticleId) -> dict[str, Any]:
        art = queries.article(cur, article_id)
        if art is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return {"id": article_id, **queries.original_blocks(cur, art, bases)}

    @app.get("/api/actors", tags=["actors"], summary="Actor codes with their counts as actor and target",
             response_model=None, responses={200: {"model": schemas.ActorList}})
    def api_actors(cur: Cursor, limit: Limit = 50, offset: Offset = 0, prefix: ActorFilter = None) -> dict[str, Any]:
        return queries.actors(cur, limit=limit, offset=offset, prefix=prefix.upper() if prefix else None)

    @app.get("/api/actors/{code}", tags=["actors"], summary="An actor's profile, aliases and timeline")
    def api_actor(cur: Cursor, code: ActorCode, period: PeriodParam = "week") -> dict[str, Any]:
        return actor_data(cur, code, period)

    @app.get("/api/events", tags=["events"], summary="Events by actor, target, date and PLOVER type",
             response_model=None, responses={200: {"model": schemas.EventList}})
    def api_events(
        cur: Cursor,
        actor: ActorFilter = None,
        target: ActorFilter = None,
        since: date | None = None,
        until: date | None = None,
        plover: Annotated[str | None, Query(pattern=PLOVER_PATTERN)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return queries.events(
            cur, actor=actor.upper() if actor else None, target=target.upper() if target else None,
            since=since, until=until, plover=plover, limit=limit, offset=offset,
        )

    @app.get("/api/dyads/{a}/{b}", tags=["events"], summary="Events between two actors over time",
             response_model=None, responses={200: {"model": schemas.Dyad}})
    def api_dyad(cur: Cursor, a: ActorCode, b: ActorCode, period: PeriodParam = "week") -> dict[str, Any]:
        return queries.dyad(cur, a.upper(), b.upper(), period=period)

    @app.get("/api/network", tags=["events"], summary="Who acts on whom, weighted by events and hostility",
             response_model=None, responses={200: {"model": schemas.Network}})
    def api_network(
        cur: Cursor,
        level: Annotated[Literal["actor", "country"], Query()] = "actor",
        min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    ) -> dict[str, Any]:
        return queries.network(cur, level=level, min_events=min_events)

    @app.get("/api/places", tags=["places"], summary="Places mentioned, with coordinates and counts")
    def api_places(cur: Cursor, country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None) -> dict[str, Any]:
        return queries.places(cur, country=country.upper() if country else None)

    @app.get("/api/duplicates", tags=["ingest"], summary="Duplicate clusters, largest first")
    def api_duplicates(
        cur: Cursor, limit: Limit = 20, offset: Offset = 0, min_size: Annotated[int, Query(ge=2, le=1_000_000)] = 2
    ) -> dict[str, Any]:
        return queries.duplicate_clusters(cur, limit=limit, offset=offset, min_size=min_size)

    @app.get("/api/runs", tags=["ingest"], summary="Ingest runs and the store's counts")
    def api_runs(cur: Cursor) -> dict[str, Any]:
        return queries.runs(cur)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    # --- pages ------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, params: Annotated[SearchParams, Depends()], format: FormatParam = "html"
    ) -> Response:
        data = search_data(params)
        base = {k: v for k, v in request.query_params.items() if k not in ("offset", "format")}

        def with_params(**changes: Any) -> str:
            merged = {**base, **{k: v for k, v in changes.items()}}
            return "/?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

        return page(request, format, "search.html", data, with_params=with_params, params=params)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(
        request: Request, cur: Cursor, article_id: ArticleId, format: FormatParam = "html",
        view: Annotated[Literal["text", "page"], Query()] = "text",
    ) -> Response:
        data = article_data(cur, article_id)
        art, enr = data["_article"], data["_enrichment"]
        if format == "json":
            return JSONResponse(public(data))
        return page(
            request, format, "article.html", public(data), art=art, enr=enr, view=view,
            segments=queries.text_segments(art, enr), original=queries.original_blocks(cur, art, bases),
        )

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(
        request: Request, cur: Cursor, limit: Limit = 100, offset: Offset = 0, prefix: ActorFilter = None,
        format: FormatParam = "html",
    ) -> Response:
        data = queries.actors(cur, limit=limit, offset=offset, prefix=prefix.upper() if prefix else None)
        return page(request, format, "actors.html", data)

    @app.get("/actors/{code}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(
        request: Request, cur: Cursor, code: ActorCode, period: PeriodParam = "week", format: FormatParam = "html"
    ) -> Response:
        data = actor_data(cur, code, period)
        return page(request, format, "actor.html", data, spec=charts.actor_timeline_spec(data))

    @app.get("/dyad", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(
        request: Request,
        cur: Cursor,
        a: Annotated[str, Query(pattern=ACTOR_CODE_PATTERN)],
        b: Annotated[str, Query(pattern=ACTOR_CODE_PATTERN)],
        period: PeriodParam = "week",
        format: FormatParam = "html",
    ) -> Response:
        data = queries.dyad(cur, a.upper(), b.upper(), period=period)
        return page(request, format, "dyad.html", data, spec=charts.dyad_spec(data))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_page(
        request: Request, cur: Cursor, level: Annotated[Literal["actor", "country"], Query()] = "actor",
        min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 1, format: FormatParam = "html",
    ) -> Response:
        data = queries.network(cur, level=level, min_events=min_events)
        return page(request, format, "network.html", data, spec=charts.network_spec(data))

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(
        request: Request, cur: Cursor, country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
        format: FormatParam = "html",
    ) -> Response:
        data = queries.places(cur, country=country.upper() if country else None)
        return page(request, format, "map.html", data, spec=charts.map_spec(data["places"]))

    @app.get("/runs", response_class=HTMLResponse, include_in_schema=False)
    def runs_page(request: Request, cur: Cursor, format: FormatParam = "html") -> Response:
        return page(request, format, "runs.html", queries.runs(cur))

    @app.get("/duplicates", response_class=HTMLResponse, include_in_schema=False)
    def duplicates_page(
        request: Request, cur: Cursor, limit: Limit = 20, offset: Offset = 0, format: FormatParam = "html"
    ) -> Response:
        return page(request, format, "duplicates.html", queries.duplicate_clusters(cur, limit=limit, offset=offset))

    return app


def _describe(err: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in err.get("loc", ()) if part not in ("query", "path"))
    return f"{where}: {err.get('msg', 'invalid value')}" if where else str(err.get("msg", "invalid value"))


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the app with uvicorn until interrupted; ``workers`` > 1 starts that many server processes."""
    import uvicorn

    if workers == 1:
        uvicorn.run(create_app(db_path), host=host, port=port, log_level="warning")
        return
    # Worker processes import the app by name: they find the database in the environment.
    os.environ[DB_ENVIRONMENT_VARIABLE] = str(Path(db_path).resolve())
    uvicorn.run(
        "newsmill.web.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
        log_level="warning",
    )


def app_from_environment() -> FastAPI:
    """For `uvicorn newsmill.web.app:app_from_environment --factory`: the database named by NEWSMILL_DB."""
    from newsmill.store import DEFAULT_DB

    return create_app(os.environ.get(DB_ENVIRONMENT_VARIABLE, DEFAULT_DB))
