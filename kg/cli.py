"""The ``kg`` command: a thin layer over the library (kg.build, kg.query, kg.export, …).

Conventions every verb keeps (the README has the table):

* exit status 0: done (``kg validate``: the graph conforms);
  1: the command ran and its answer is a failure (a graph that does not
  conform, a query that failed while running, a filter that leaves nothing,
  a store that refused the load, an output that cannot be written);
  2: usage or unreadable input (a bad option, an unknown format, a missing
  or unreadable graph, source or gold folder, invalid SPARQL, a reasoner
  that is not installed, a build folder or cache another process holds);
  130 and 143: stopped by Ctrl-C or SIGTERM (``kg query``, ``kg build``);
* errors are one line on stderr, ``kg: error: <file or resource>: <problem>``;
* a graph argument is a graph file or a build folder (:mod:`kg.graphio`);
* ``--format`` names are those of :mod:`kg.graphio` (``ttl``, ``nt``, ``nq``,
  ``trig``, ``jsonld``, ``xml``), the long spellings accepted too;
* ``kg -v`` / ``kg -q`` (or ``--verbose`` / ``--quiet`` after the verb):
  ``-v`` adds timings on stderr, ``-q`` drops progress bars, summaries and
  "wrote …" lines; results (query rows, reports) and errors always come.
"""
from __future__ import annotations

import contextlib
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import typer

from kg import graphio
from kg.graphio import GraphFileError

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  help="Build, check, query and render knowledge graphs of Chinese trade-union news.")

OK, FAILED, USAGE = 0, 1, 2
GRAPH_HELP = "A built graph: a graph file (.ttl, .nt, .nq, .trig, .jsonld, .rdf) or a build folder."
QUERY_GRAPH_FORMATS = ("ttl", "nt", "jsonld", "xml")


@dataclass
class Verbosity:
    level: int = 0   # -1 quiet, 0 normal, 1+ verbose

    @property
    def quiet(self) -> bool:
        return self.level < 0


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("kg-union-news")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        import kg

        return kg.__version__


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"kg {_version()}")
        raise typer.Exit(OK)


@app.callback()
def _root(
    ctx: typer.Context,
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, show_default=False,
                                help="Say more on stderr (repeat for debug output)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars, summaries or 'wrote' lines; results and errors only."),
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Build, check, query and render knowledge graphs of Chinese trade-union news.

    Exit status: 0 done, 1 the answer is a failure (e.g. the graph does not
    conform), 2 usage error or unreadable input.
    """
    ctx.obj = Verbosity(-1 if quiet else verbose)
    _configure_logging(ctx.obj)


def _configure_logging(v: Verbosity) -> None:
    level = logging.ERROR if v.level < 0 else logging.WARNING if v.level == 0 else \
        logging.INFO if v.level == 1 else logging.DEBUG
    logging.basicConfig(level=logging.ERROR, format="kg: %(message)s", force=True)
    logging.getLogger("kg").setLevel(level)


def _verbosity(ctx: typer.Context, quiet: bool = False, verbose: int = 0) -> Verbosity:
    """The root's -v/-q, overridden by the verb's own --quiet/--verbose."""
    root = ctx.find_object(Verbosity) or Verbosity()
    v = Verbosity(-1 if quiet else verbose if verbose else root.level)
    if v.level != root.level:
        _configure_logging(v)
    return v


def _quiet_option():
    return typer.Option(False, "--quiet", "-q", help="No progress, summary or 'wrote' lines.")


def _verbose_option():
    return typer.Option(0, "--verbose", "-v", count=True, show_default=False, help="Say more on stderr.")


def _fail(message: str, code: int = FAILED) -> None:
    typer.echo(f"kg: error: {message}", err=True)
    raise typer.Exit(code)


def _say(v: Verbosity, message: str) -> None:
    """A line saying what was done ('wrote …', 'loaded …'), unless quiet."""
    if not v.quiet:
        typer.echo(message)


def _graph(path: Path) -> Path:
    try:
        return graphio.graph_file(path)
    except GraphFileError as err:
        _fail(str(err), USAGE)


def _format(value: str, allowed: tuple[str, ...], option: str = "--format") -> str:
    try:
        return graphio.format_name(value, allowed)
    except ValueError:
        _fail(f"{option} {value!r}: use one of {', '.join(allowed)}", USAGE)


@app.command()
def build(
    ctx: typer.Context,
    source: Path = typer.Argument(Path("seeds"), help="A folder of articles (.txt, .md) or one file."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Folder for graph.ttl, graph.html, stats.json."),
    base_iri: str = typer.Option(None, "--base-iri", help="Base of instance IRIs (default $KG_BASE_IRI or the built-in one)."),
    province: str = typer.Option(None, "--province", help="Province a bare 省… name refers to when the text does not say (default: $KG_HOME_PROVINCE, else the pipeline's config.cfg)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes for extraction and writing (0: all cores)."),
    fmt: str = typer.Option("ttl", "--format", "-f", help="ttl (graph.ttl), nt (graph.nt) or nq (graph.nq): the line formats stream."),
    graph_iri: str = typer.Option(None, "--graph-iri", help="With --format nq: the named graph (default BASE/graph)."),
    engine: str = typer.Option("local", "--engine", help="local (processes on this machine) or dask (a Dask cluster)."),
    scheduler: str = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler address, tcp://HOST:8786."),
    no_html: bool = typer.Option(False, "--no-html", help="Do not write graph.html (it holds the whole graph: skip it for big corpora)."),
    quiet: bool = _quiet_option(),
    verbose: int = _verbose_option(),
) -> None:
    """Build the knowledge graph of SOURCE into OUT.

    OUT's outputs change only when the build has finished: a build that fails
    or is stopped (Ctrl-C: exit 130, SIGTERM: 143) leaves the previous ones.
    """
    from kg.build import BuildError, BuildWriteError, build as run_build, make_engine
    from kg.cache import CacheError
    from kg.files import OutputFolderBusy, OutputFolderError
    from kg.parallel import EngineError
    from kg.read import DocumentError
    from kg.settings import Settings
    from kg.stats import format_summary

    v = _verbosity(ctx, quiet, verbose)
    build_fmt = {"ttl": "turtle", "nt": "nt", "nq": "nq"}[_format(fmt, ("ttl", "nt", "nq"))]
    if not source.exists():
        _fail(f"{source}: no such file or folder", USAGE)
    if out.exists() and not out.is_dir():
        _fail(f"{out}: is a file, not a folder (--out names the folder to build into)", USAGE)
    kwargs = {"progress": not v.quiet, "jobs": jobs}
    if base_iri:
        kwargs["base_iri"] = base_iri
    if province:
        kwargs["home_province"] = province
    unchanged = f"the previous outputs in {out} are unchanged"
    run_engine = None
    try:
        with _stop_on_sigterm():
            settings = Settings(**kwargs)
            run_engine = make_engine(settings, engine, scheduler)
            if engine == "dask":
                _quiet_dask_logs()  # after distributed is imported: importing it sets its loggers' levels
            result = run_build(source, out, settings, fmt=build_fmt, graph_iri=graph_iri, html=not no_html,
                               engine=run_engine)
    except KeyboardInterrupt:
        _fail(f"{out}: the build was stopped (Ctrl-C); {unchanged}, what was extracted is kept in its cache", 130)
    except _Terminated:
        _fail(f"{out}: the build was stopped (SIGTERM); {unchanged}, what was extracted is kept in its cache", 143)
    except OutputFolderBusy as err:
        _fail(str(err), USAGE)
    except OutputFolderError as err:
        _fail(str(err), FAILED)
    except CacheError as err:
        _fail(str(err) if err.busy else f"{err}; {unchanged}", USAGE if err.busy else FAILED)
    except EngineError as err:
        _fail(f"{err}; {unchanged}", FAILED)
    except (DocumentError, BuildError, ValueError) as err:
        _fail(str(err), USAGE)
    except BuildWriteError as err:
        _fail(err.strerror, FAILED)
    except OSError as err:
        where = err.filename or out
        _fail(f"{where}: cannot write the build: {err.strerror or err}; {unchanged}")
    finally:
        if run_engine is not None:
            run_engine.close()
    for err in result.skipped:
        typer.echo(f"kg: skipped {err}", err=True)
    if not v.quiet:
        typer.echo(format_summary(result.stats))
        typer.echo(f"extracted {result.extracted} document(s), {result.reused} unchanged from the cache")
        typer.echo("wrote " + ", ".join(str(p) for p in result.outputs.values()))
    if v.level > 0:
        typer.echo("seconds: " + ", ".join(f"{k} {s:.2f}" for k, s in result.timings.items()), err=True)


class _Terminated(BaseException):
    """SIGTERM, raised where the build is, so it unwinds as Ctrl-C does."""


@contextlib.contextmanager
def _stop_on_sigterm():
    import signal

    def terminated(signum, frame):
        raise _Terminated()

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, terminated) if in_main else None
    try:
        yield
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _quiet_dask_logs() -> None:
    """Dask logs a lost scheduler in many lines of its own; the build says it in one."""
    for name in ["distributed", "tornado", "asyncio", *logging.root.manager.loggerDict]:
        if name.split(".")[0] in ("distributed", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)


@app.command("eval")
def eval_(
    ctx: typer.Context,
    graph: Path = typer.Argument(..., help=GRAPH_HELP + " With --per-doc, also a folder of the gold's articles."),
    gold: Path = typer.Option(..., "--gold", help="Folder of gold JSON files."),
    docs: str = typer.Option(None, "--docs", help="Only these gold files (comma-separated stems)."),
    per_doc: bool = typer.Option(False, "--per-doc", help="Score article by article and sum the counts (as ../shared/tools/perdoc.py): a folder of articles is built one article at a time; a graph is scored on what each article states in it."),
    json_out: Path = typer.Option(None, "--json", help="Also write the scores, misses and false hits as JSON."),
    brief: bool = typer.Option(False, "--brief", help="Scores only, no list of misses and false hits."),
) -> None:
    """Score GRAPH against gold annotations: P/R/F1 per class and relation, misses, false hits."""
    import json

    from kg.evaluate import evaluate, format_coverage, format_report
    from kg.per_article import evaluate_per_document, evaluate_texts, format_articles
    from kg.files import write_text

    if not gold.is_dir():
        _fail(f"{gold}: no such gold folder", USAGE)
    wanted = {d.strip() for d in docs.split(",") if d.strip()} if docs else None
    texts = per_doc and graph.is_dir() and not _holds_graph(graph)
    path = graph if texts else _graph(graph)
    try:
        if texts:
            result = evaluate_texts(path, gold, wanted)
        elif per_doc:
            result = evaluate_per_document(path, gold, wanted)
        else:
            result = evaluate(path, gold, wanted)
    except GraphFileError as err:
        _fail(str(err), USAGE)
    except (FileNotFoundError, ValueError, SyntaxError) as err:
        _fail(str(err) if str(err).startswith(str(gold)) else f"{gold}: {err}", USAGE)
    if per_doc:
        if not result["per_doc"]:
            _fail(f"{graph}: none of the gold's articles is there ({', '.join(result['missing'])})", USAGE)
        typer.echo(format_articles(result, show_errors=not brief))
        result = {k: v for k, v in result.items() if k != "articles" or not brief}
    else:
        note = format_coverage(result["coverage"])
        if note:
            typer.echo(f"kg: {note}", err=True)
        typer.echo(format_report(result, show_errors=not brief))
    if json_out:
        try:
            write_text(json_out, json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n")
        except OSError as err:
            _fail(f"{json_out}: cannot write: {err}")


def _holds_graph(folder: Path) -> bool:
    try:
        graphio.graph_file(folder)
    except GraphFileError:
        return False
    return True


@app.command()
def query(
    ctx: typer.Context,
    graph: Path = typer.Argument(None, help=GRAPH_HELP),
    sparql: str = typer.Argument(None, metavar="QUERY", help="SPARQL text, a .rq file, or a saved query's name."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, tsv, json or xml (CONSTRUCT: table, ttl, nt, jsonld, xml)."),
    param: list[str] = typer.Option(None, "--param", "-p", help="NAME=VALUE for a query parameter (VALUES ?NAME { UNDEF }); repeatable."),
    list_saved: bool = typer.Option(False, "--list", help="List the saved queries and their parameters."),
    max_width: int = typer.Option(80, "--max-width", help="Clip table cells to this many columns (0: never)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Load the graph into memory, not into the store cached beside it."),
    timeout: float = typer.Option(None, "--timeout", help="Stop the query after this many seconds (exit 1); loading the graph does not count."),
    verbose: int = _verbose_option(),
) -> None:
    """Run a SPARQL query over GRAPH: a failing query exits 1; invalid SPARQL, a missing or unreadable graph exit 2.

    Ctrl-C stops a running query (exit 130), SIGTERM too (exit 143).
    """
    import os
    import time

    from kg import query as q

    v = _verbosity(ctx, verbose=verbose)
    if list_saved:
        for sq in q.saved_queries().values():
            typer.echo(f"{sq.name}\n    {sq.description}")
            for name, about in sq.params.items():
                typer.echo(f"    --param {name}=…  {about}")
        return
    if graph is None or sparql is None:
        _fail("give a GRAPH and a QUERY (or --list)", USAGE)
    if timeout is not None and not timeout > 0:
        _fail(f"--timeout must be more than 0 seconds (got {timeout:g})", USAGE)
    fmt = _format(fmt, (*q.RESULT_FORMATS, *QUERY_GRAPH_FORMATS))
    params = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            _fail(f"--param {item!r}: expected NAME=VALUE", USAGE)
        params[name.lstrip("?")] = value
    path = _graph(graph)
    try:
        text = q.resolve_query(sparql)
        q.bind_params(text, params)
    except q.QueryError as err:
        _fail(str(err), USAGE)
    started = time.perf_counter()
    try:
        q.run_stoppable(lambda began: q.write_query(path, text, sys.stdout.buffer, fmt, params, cache=not no_cache,
                                                    max_width=max_width, started=began), timeout)
        sys.stdout.flush()
    except q.QueryStopped as err:
        # The query goes on in its thread inside Oxigraph: end the process at once, output unflushed.
        typer.echo(f"kg: error: {err}", err=True)
        sys.stderr.flush()
        os._exit(err.exit_code)
    except GraphFileError as err:
        _fail(str(err), USAGE)
    except q.QuerySyntaxError as err:
        _fail(str(err), USAGE)
    except q.QueryError as err:
        _fail(str(err), FAILED)
    if v.level > 0:
        typer.echo(f"kg: query took {time.perf_counter() - started:.3f} s", err=True)


@app.command()
def export(
    ctx: typer.Context,
    graph: Path = typer.Argument(..., help=GRAPH_HELP),
    fmt: str = typer.Option(..., "--format", "-f", help="ttl, nt, nq, trig, jsonld, xml, graphml, gexf, neo4j or kuzu (the last two: a folder)."),
    out: Path = typer.Option(None, "--out", "-o", help="Output file (a folder for neo4j and kuzu); default: beside GRAPH."),
    ontology: Path = typer.Option(None, "--ontology", help="The ontology file (default: the one the package ships)."),
    with_ontology: bool = typer.Option(False, "--with-ontology", help="Add the ontology's triples to a single-graph export (nq and trig always carry it as a named graph)."),
    quiet: bool = _quiet_option(),
) -> None:
    """Write GRAPH in another format: RDF syntaxes, JSON-LD, GraphML, GEXF, Neo4j import CSV, Kùzu tables."""
    from kg import export as ex

    v = _verbosity(ctx, quiet)
    fmt = _format(fmt, ex.FORMATS)
    path = _graph(graph)
    target = out or ex.default_out(path, fmt)
    try:
        written = ex.export(path, fmt, target, ontology=ontology, with_ontology=with_ontology)
    except GraphFileError as err:
        _fail(str(err), USAGE)
    except (ex.ExportError, OSError) as err:
        _fail(str(err), FAILED)
    _say(v, "wrote " + ", ".join(str(p) for p in written))


@app.command()
def serve(
    ctx: typer.Context,
    graph: Path = typer.Argument(..., help=GRAPH_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default; any other address is warned about)."),
    port: int = typer.Option(7878, "--port", help="Port to listen on, 0-65535 (0: any free port, printed at start)."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds a query may run before it is stopped (503)."),
    max_mb: float = typer.Option(50.0, "--max-result-mb", help="Largest result in MB; a larger one is refused (413)."),
    workers: int = typer.Option(2, "--workers", help="Queries run at once, each in its own process (1-32)."),
    memory_mb: int = typer.Option(1024, "--max-memory-mb", help="Memory of one query process in MB; a query needing more is stopped (503)."),
    idle_timeout: float = typer.Option(10.0, "--idle-timeout", help="Seconds a connection may stay silent, or take to send its request."),
    allow_service: bool = typer.Option(False, "--allow-service", help="Let queries use SERVICE (this server then calls the URLs they name)."),
    cors: list[str] = typer.Option(None, "--cors", help="Let web pages of this origin (http://host:port, or *) call the endpoint; repeatable."),
    allowed_host: list[str] = typer.Option(None, "--allowed-host", help="Accept this name in the Host header besides the bound address; repeatable."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not log each request."),
) -> None:
    """Serve GRAPH as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql until Ctrl-C or SIGTERM."""
    from kg.serve import Limits, Policy, WorkerGone, serve as run_serve

    v = _verbosity(ctx, quiet)
    path = _graph(graph)
    try:
        limits = Limits(timeout, int(max_mb * 1_000_000), workers, memory_mb, idle_timeout)
        policy = Policy(allow_service, tuple(cors or ()), tuple(allowed_host or ()))
        run_serve(path, host, port, limits, policy, v.quiet)
    except ValueError as err:
        _fail(str(err), USAGE)
    except GraphFileError as err:
        _fail(str(err), USAGE)
    except (OSError, WorkerGone) as err:
        _fail(f"cannot serve on {host}:{port}: {err.strerror or err}" if isinstance(err, OSError)
              else f"cannot serve {path}: {err}", FAILED)


@app.command()
def render(
    ctx: typer.Context,
    graph: Path = typer.Argument(..., help=GRAPH_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="The HTML page to write."),
    focus: list[str] = typer.Option(None, "--focus", help="Name, alias or IRI of an entity to centre on; repeatable."),
    depth: int = typer.Option(1, "--depth", min=0, help="With --focus: keep neighbours up to this many steps away."),
    classes: list[str] = typer.Option(None, "--class", help="Keep only this class (Person or 人物, …); repeatable."),
    relations: list[str] = typer.Option(None, "--relation", help="Keep only this relation (worksFor or 任职于, …); repeatable."),
    title: str = typer.Option(None, "--title", help="Page title (default: 知识图谱, with the focus)."),
    quiet: bool = _quiet_option(),
) -> None:
    """Write an interactive HTML page of GRAPH, whole or focused: a filter that leaves nothing exits 1, an unreadable graph 2."""
    from kg import render as r

    v = _verbosity(ctx, quiet)
    try:
        data = graphio.read_graph(_graph(graph))
        g = r.select(r.to_networkx(data), focus, depth, classes, relations)
        page_title = title or ("知识图谱" + (" · " + "、".join(focus) if focus else ""))
        r.render_html(g, out, page_title)
    except GraphFileError as err:
        _fail(str(err), USAGE)
    except (r.RenderError, OSError) as err:
        _fail(str(err), FAILED)
    _say(v, f"wrote {out}: {g.number_of_nodes()} entities, {g.number_of_edges()} relations")


@app.command()
def bench(
    size: int = typer.Option(2_000_000, "--size", min=1, help="Characters of generated articles to build."),
    repeat: int = typer.Option(1, "--repeat", min=1, help="Runs of each; the best is reported."),
    seed: int = typer.Option(7, "--seed", help="Seed of the corpus generator (same seed, same corpus)."),
    workdir: Path = typer.Option(None, "--workdir", help="Keep the corpus and outputs here (default: a temporary folder)."),
    html: bool = typer.Option(False, "--html", help="Builds write graph.html too (its time counts in the figures)."),
) -> None:
    """Time kg build (1 and 2 jobs) against jieba.posseg on a generated corpus of SIZE characters."""
    from kg.bench import format_report, run_benchmark

    try:
        report = run_benchmark(size, repeat=repeat, seed=seed, workdir=workdir,
                               log=lambda m: typer.echo(m, err=True), html=html)
    except (ValueError, RuntimeError) as err:
        _fail(str(err), FAILED)
    typer.echo(format_report(report))


@app.command()
def load(
    ctx: typer.Context,
    graph: Path = typer.Argument(..., help=GRAPH_HELP),
    endpoint: str = typer.Option(..., "--endpoint", help="SPARQL 1.1 Graph Store Protocol URL (Oxigraph: http://HOST:7878/store)."),
    graph_iri: str = typer.Option(None, "--graph", help="Load everything into this named graph (an .nq/.trig file's graphs are flattened into it)."),
    append: bool = typer.Option(False, "--append", help="Add to the graph instead of replacing it."),
    chunk: int = typer.Option(50_000, "--chunk", min=1, help="Triples per HTTP request."),
    user: str = typer.Option(None, "--user", help="HTTP basic-auth user (password from $KG_LOAD_PASSWORD)."),
    timeout: float = typer.Option(60.0, "--timeout", help="Seconds each request may take, connecting included."),
    update_endpoint: str = typer.Option(None, "--update-endpoint", help="SPARQL Update URL for the final MOVE (default: the endpoint's sibling /update)."),
    quiet: bool = _quiet_option(),
) -> None:
    """Load GRAPH into a triple store over the Graph Store Protocol; the target changes only when all of it arrived.

    A refused or failed load exits 1; an unreadable graph or a bad option exits 2.
    """
    import os

    from kg.load import LoadError, load as run_load

    v = _verbosity(ctx, quiet)
    path = _graph(graph)
    try:
        report = run_load(path, endpoint, graph_iri, append=append, chunk=chunk, user=user,
                          password=os.environ.get("KG_LOAD_PASSWORD"), timeout=timeout,
                          update_endpoint=update_endpoint, warn=lambda line: typer.echo(line, err=True))
    except LoadError as err:
        # kg.load names the file first when the file is the problem, the option when an option is.
        message = str(err)
        _fail(message, USAGE if message.startswith((f"{path}:", "--")) else FAILED)
    graphs = len(report.graphs)
    into = report.target if graphs <= 1 else f"{graphs} graphs at {report.target}"
    _say(v, f"loaded {report.triples} triples into {into} in {report.requests} request(s)")


@app.command()
def validate(
    ctx: typer.Context,
    graph: Path = typer.Argument(..., help=GRAPH_HELP),
    shapes: Path = typer.Option(None, "--shapes", help="SHACL shapes (default: the package's ontology/shapes.ttl)."),
    reasoner: list[str] = typer.Option(["owlrl"], "--reasoner", "-r",
                                       help="owlrl (OWL 2 RL closure, explains what it finds), hermit (OWL 2 DL, "
                                            "needs owlready2 and Java) or none; repeatable."),
    no_owl: bool = typer.Option(False, "--no-owl", help="No reasoner: the same as --reasoner none."),
) -> None:
    """Check GRAPH with the SHACL shapes and a reasoner: exit 0 if it conforms, 1 if not, 2 if unreadable."""
    from kg.validate import load_graph, load_ontology, load_shapes, owl_check, validate as run_validate

    chosen = [] if no_owl else list(dict.fromkeys(r.strip().lower() for r in reasoner))
    unknown = [r for r in chosen if r not in ("owlrl", "hermit", "none")]
    if unknown:
        _fail(f"--reasoner {unknown[0]!r}: use owlrl, hermit or none", USAGE)
    chosen = [r for r in chosen if r != "none"]
    try:
        data = load_graph(_graph(graph))
        ontology = load_ontology()
        shapes_graph = load_shapes(shapes)
    except GraphFileError as err:
        _fail(str(err), USAGE)
    report = run_validate(data, ontology=ontology, shapes=shapes_graph)
    typer.echo(report.text)
    ok = report.conforms
    if "owlrl" in chosen:
        owl = owl_check(data, ontology)
        typer.echo(owl.text)
        ok = ok and owl.ok
    if "hermit" in chosen:
        from kg.hermit import ReasonerError, hermit_check

        try:
            dl = hermit_check(data, ontology)
        except ReasonerError as err:
            _fail(str(err), USAGE)
        typer.echo(dl.text)
        ok = ok and dl.ok
    raise typer.Exit(OK if ok else FAILED)


def main() -> None:  # pragma: no cover - console entry
    app(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    main()
