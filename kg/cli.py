"""The ``kg`` command: a thin layer over the library (kg.build, kg.eval, …)."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer

from kg.read import DocumentError
from kg.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Build, check, query and render knowledge graphs of Chinese trade-union news.")


@app.callback()
def _root() -> None:
    """Build, check, query and render knowledge graphs of Chinese trade-union news."""


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"kg: error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def build(
    source: Path = typer.Argument(Path("seeds"), help="A folder of articles (.txt, .md) or one file."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Folder for graph.ttl, graph.html, stats.json."),
    base_iri: str = typer.Option(None, "--base-iri", help="Base of instance IRIs (default $KG_BASE_IRI or the built-in one)."),
    province: str = typer.Option("江西", "--province", help="Province a bare 省… name refers to when the text does not say."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes for extraction and writing (0: all cores)."),
    fmt: str = typer.Option("turtle", "--format", help="turtle (graph.ttl), nt (graph.nt) or nq (graph.nq): the line formats stream."),
    graph_iri: str = typer.Option(None, "--graph-iri", help="With --format nq: the named graph (default BASE/graph)."),
    engine: str = typer.Option("local", "--engine", help="local (processes on this machine) or dask (a Dask cluster)."),
    scheduler: str = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler address, tcp://HOST:8786."),
    no_html: bool = typer.Option(False, "--no-html", help="Do not write graph.html (it holds the whole graph: skip it for big corpora)."),
) -> None:
    """Build the knowledge graph of SOURCE into OUT."""
    from kg.build import BuildError, build as run_build
    from kg.stats import format_summary

    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    kwargs = {"home_province": province, "progress": not quiet, "jobs": jobs}
    if base_iri:
        kwargs["base_iri"] = base_iri
    try:
        from kg.build import make_engine

        settings = Settings(**kwargs)
        result = run_build(source, out, settings, fmt=fmt, graph_iri=graph_iri, html=not no_html,
                           engine=make_engine(settings, engine, scheduler))
    except (DocumentError, BuildError, ValueError) as err:
        _fail(str(err))
    for err in result.skipped:
        typer.echo(f"kg: skipped {err}", err=True)
    if not quiet:
        typer.echo(format_summary(result.stats))
        typer.echo(f"extracted {result.extracted} document(s), {result.reused} unchanged from the cache")
        typer.echo("wrote " + ", ".join(str(p) for p in result.outputs.values()))


@app.command("eval")
def eval_(
    graph: Path = typer.Argument(..., help="A built graph (Turtle, N-Triples, JSON-LD, RDF/XML)."),
    gold: Path = typer.Option(..., "--gold", help="Folder of gold JSON files."),
    docs: str = typer.Option(None, "--docs", help="Only these gold files (comma-separated stems)."),
    json_out: Path = typer.Option(None, "--json", help="Also write the scores, misses and false hits as JSON."),
    brief: bool = typer.Option(False, "--brief", help="Scores only, no list of misses and false hits."),
) -> None:
    """Score GRAPH against gold annotations: P/R/F1 per class and relation, misses, false hits."""
    import json

    from kg.evaluate import evaluate, format_report
    from kg.files import write_text

    if not graph.is_file():
        _fail(f"{graph}: no such graph file", 2)
    if not gold.is_dir():
        _fail(f"{gold}: no such gold folder", 2)
    try:
        result = evaluate(graph, gold, set(docs.split(",")) if docs else None)
    except (FileNotFoundError, ValueError, SyntaxError) as err:
        _fail(f"{graph}: {err}", 2)
    typer.echo(format_report(result, show_errors=not brief))
    if json_out:
        write_text(json_out, json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n")


@app.command()
def query(
    graph: Path = typer.Argument(None, help="A built graph: graph.ttl (or .nt, .nq, .trig, .jsonld, .rdf)."),
    sparql: str = typer.Argument(None, metavar="QUERY", help="SPARQL text, a .rq file, or a saved query's name."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, tsv, json or xml (CONSTRUCT: table, ttl, nt, jsonld, xml)."),
    param: list[str] = typer.Option(None, "--param", "-p", help="NAME=VALUE for a query parameter (VALUES ?NAME { UNDEF }); repeatable."),
    list_saved: bool = typer.Option(False, "--list", help="List the saved queries and their parameters."),
    max_width: int = typer.Option(80, "--max-width", help="Clip table cells to this many columns (0: never)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Load the graph into memory, not into the store cached beside it."),
    timeout: float = typer.Option(None, "--timeout", help="Stop the query after this many seconds (exit 1); loading the graph does not count."),
) -> None:
    """Run a SPARQL query over GRAPH: bad query exit 1, missing or unreadable graph exit 2.

    Ctrl-C stops a running query (exit 130), SIGTERM too (exit 143).
    """
    import os

    from kg import query as q

    if list_saved:
        for sq in q.saved_queries().values():
            typer.echo(f"{sq.name}\n    {sq.description}")
            for name, about in sq.params.items():
                typer.echo(f"    --param {name}=…  {about}")
        return
    if graph is None or sparql is None:
        _fail("give a GRAPH and a QUERY (or --list)", 1)
    if timeout is not None and not timeout > 0:
        _fail(f"--timeout must be more than 0 seconds (got {timeout:g})", 2)
    params = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            _fail(f"--param {item!r}: expected NAME=VALUE")
        params[name.lstrip("?")] = value
    try:
        text = q.resolve_query(sparql)
        q.run_stoppable(lambda started: q.write_query(graph, text, sys.stdout.buffer, fmt, params, cache=not no_cache,
                                                      max_width=max_width, started=started), timeout)
        sys.stdout.flush()
    except q.QueryStopped as err:
        # The query goes on in its thread inside Oxigraph: end the process at once, output unflushed.
        typer.echo(f"kg: error: {err}", err=True)
        sys.stderr.flush()
        os._exit(err.exit_code)
    except q.GraphFileError as err:
        _fail(str(err), 2)
    except q.QueryError as err:
        _fail(str(err), 1)


@app.command()
def export(
    graph: Path = typer.Argument(..., help="A built graph: graph.ttl (or .nt, .nq, .trig, .jsonld, .rdf)."),
    fmt: str = typer.Option(..., "--format", "-f", help="ttl, nt, nq, trig, jsonld, xml, graphml, gexf or neo4j (a folder of CSV)."),
    out: Path = typer.Option(None, "--out", "-o", help="Output file (a folder for neo4j); default: beside GRAPH."),
    ontology: Path = typer.Option(None, "--ontology", help="The ontology file (default: ontology/kg.ttl when found)."),
    with_ontology: bool = typer.Option(False, "--with-ontology", help="Add the ontology's triples to a single-graph export (nq and trig always carry it as a named graph)."),
) -> None:
    """Write GRAPH in another format: RDF syntaxes, JSON-LD, GraphML, GEXF, Neo4j import CSV."""
    from kg import export as ex
    from kg.query import GraphFileError

    target = out or (ex.default_out(graph, fmt) if fmt in ex.FORMATS else graph)
    try:
        written = ex.export(graph, fmt, target, ontology=ontology, with_ontology=with_ontology)
    except GraphFileError as err:
        _fail(str(err), 2)
    except (ex.ExportError, OSError) as err:
        _fail(str(err), 1)
    typer.echo("wrote " + ", ".join(str(p) for p in written))


@app.command()
def serve(
    graph: Path = typer.Argument(..., help="A built graph: graph.ttl (or .nt, .nq, .trig, .jsonld, .rdf)."),
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
    from kg.query import GraphFileError
    from kg.serve import Limits, Policy, WorkerGone, serve as run_serve

    try:
        limits = Limits(timeout, int(max_mb * 1_000_000), workers, memory_mb, idle_timeout)
        policy = Policy(allow_service, tuple(cors or ()), tuple(allowed_host or ()))
        run_serve(graph, host, port, limits, policy, quiet)
    except ValueError as err:
        _fail(str(err), 2)
    except GraphFileError as err:
        _fail(str(err), 2)
    except (OSError, WorkerGone) as err:
        _fail(f"cannot serve on {host}:{port}: {err.strerror or err}" if isinstance(err, OSError)
              else f"cannot serve {graph}: {err}", 1)


@app.command()
def render(
    graph: Path = typer.Argument(..., help="A built graph: graph.ttl (or any RDF file rdflib reads), or a build folder."),
    out: Path = typer.Option(..., "--out", "-o", help="The HTML page to write."),
    focus: list[str] = typer.Option(None, "--focus", help="Name, alias or IRI of an entity to centre on; repeatable."),
    depth: int = typer.Option(1, "--depth", min=0, help="With --focus: keep neighbours up to this many steps away."),
    classes: list[str] = typer.Option(None, "--class", help="Keep only this class (Person or 人物, …); repeatable."),
    relations: list[str] = typer.Option(None, "--relation", help="Keep only this relation (worksFor or 任职于, …); repeatable."),
    title: str = typer.Option(None, "--title", help="Page title (default: 知识图谱, with the focus)."),
) -> None:
    """Write an interactive HTML page of GRAPH, whole or focused: bad filter exit 1, unreadable graph exit 2."""
    from kg import render as r

    try:
        g = r.select(r.to_networkx(r.load_graph(graph)), focus, depth, classes, relations)
        page_title = title or ("知识图谱" + (" · " + "、".join(focus) if focus else ""))
        r.render_html(g, out, page_title)
    except r.GraphFileError as err:
        _fail(str(err), 2)
    except (r.RenderError, OSError) as err:
        _fail(str(err), 1)
    typer.echo(f"wrote {out}: {g.number_of_nodes()} entities, {g.number_of_edges()} relations")


@app.command()
def bench(
    size: int = typer.Option(2_000_000, "--size", min=1, help="Characters of generated articles to build."),
    repeat: int = typer.Option(1, "--repeat", min=1, help="Runs of each; the best is reported."),
    seed: int = typer.Option(7, "--seed", help="Seed of the corpus generator (same seed, same corpus)."),
    workdir: Path = typer.Option(None, "--workdir", help="Keep the corpus and outputs here (default: a temporary folder)."),
) -> None:
    """Time kg build (1 and 2 jobs) against jieba.posseg on a generated corpus of SIZE characters."""
    from kg.bench import format_report, run_benchmark

    try:
        report = run_benchmark(size, repeat=repeat, seed=seed, workdir=workdir,
                               log=lambda m: typer.echo(m, err=True))
    except (ValueError, RuntimeError) as err:
        _fail(str(err))
    typer.echo(format_report(report))


@app.command()
def load(
    graph: Path = typer.Argument(..., help="A graph file: graph.ttl, .nt, .nq, .trig, .jsonld or .rdf."),
    endpoint: str = typer.Option(..., "--endpoint", help="SPARQL 1.1 Graph Store Protocol URL (Oxigraph: http://HOST:7878/store)."),
    graph_iri: str = typer.Option(None, "--graph", help="Load everything into this named graph (an .nq/.trig file's graphs are flattened into it)."),
    append: bool = typer.Option(False, "--append", help="Add to the graph instead of replacing it."),
    chunk: int = typer.Option(50_000, "--chunk", min=1, help="Triples per HTTP request."),
    user: str = typer.Option(None, "--user", help="HTTP basic-auth user (password from $KG_LOAD_PASSWORD)."),
    timeout: float = typer.Option(60.0, "--timeout", help="Seconds each request may take, connecting included."),
    update_endpoint: str = typer.Option(None, "--update-endpoint", help="SPARQL Update URL for the final MOVE (default: the endpoint's sibling /update)."),
) -> None:
    """Load GRAPH into a triple store over the Graph Store Protocol; the target changes only when all of it arrived."""
    import os

    from kg.load import LoadError, load as run_load

    try:
        report = run_load(graph, endpoint, graph_iri, append=append, chunk=chunk, user=user,
                          password=os.environ.get("KG_LOAD_PASSWORD"), timeout=timeout,
                          update_endpoint=update_endpoint, warn=lambda line: typer.echo(line, err=True))
    except LoadError as err:
        _fail(str(err))
    graphs = len(report.graphs)
    into = report.target if graphs <= 1 else f"{graphs} graphs at {report.target}"
    typer.echo(f"loaded {report.triples} triples into {into} in {report.requests} request(s)")


@app.command()
def validate(
    graph: Path = typer.Argument(..., help="A built graph: graph.ttl (or .nt, .nq, .trig, .jsonld, .rdf)."),
    shapes: Path = typer.Option(None, "--shapes", help="SHACL shapes (default: ontology/shapes.ttl)."),
    no_owl: bool = typer.Option(False, "--no-owl", help="Skip the OWL RL closure check."),
) -> None:
    """Check GRAPH with the SHACL shapes and an OWL RL closure: exit 0 if it conforms, 1 if not, 2 if unreadable."""
    from kg.validate import GraphError, load_graph, load_shapes, owl_check, validate as run_validate

    try:
        data = load_graph(graph)
        shapes_graph = load_shapes(shapes)
        report = run_validate(data, shapes=shapes_graph)
        owl = None if no_owl else owl_check(data)
    except GraphError as err:
        _fail(str(err), 2)
    typer.echo(report.text)
    if owl is not None:
        typer.echo(owl.text)
    raise typer.Exit(0 if report.conforms and (owl is None or owl.ok) else 1)


def main() -> None:  # pragma: no cover - console entry
    app(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
