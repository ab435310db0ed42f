"""The speed-and-scale benchmark behind ``kg bench``.

A benchmark on the five seed articles measures start-up, not throughput, and
one that repeats them measures a corpus whose entity index stops growing
after the first copy. So the corpus here is made by recombining the seeds'
sentences and swapping every name in them for one drawn from closed-class
lists (surnames and given-name characters, the gazetteer, organisation
suffixes, award and contest lexicons): text and names both grow with size,
and some names recur across articles as they do in a real archive.

Every build is measured in a fresh child process, so peak memory is that
build's own, and against ``jieba.posseg`` tagging the same text in the same
run, so the figures are ratios that do not depend on how fast this machine
happens to be today.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from kg import resources

SEEDS = resources.seeds_dir()
#: common characters of Chinese given names (a closed class, like the surnames)
GIVEN_CHARS = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍志红金海斌鹏辉玲建国文"
               "春荣燕晓宇波林德峰浩亮宏新飞凤佳雪梅琳俊彬婷欣嘉鑫森旭福瑞锋晨凯庆永健东"
               "立成雨琴颖丹慧莉倩云良松振宁欢翔康帆智博毅阳荣卫光天泽")
#: characters of made-up enterprise brand names
BRAND_CHARS = "宏达恒泰鑫源瑞丰昌盛华信利通安顺兴隆广汇金辉鼎元天润中博联创远航浩宇正邦海川"


@dataclass(frozen=True)
class Template:
    """A seed sentence with the spans of its outermost names, to be refilled."""

    text: str
    slots: tuple[tuple[int, int, str, str], ...]   # start, end, label, original text


def load_templates(seeds: Path | str = SEEDS) -> tuple[list[Template], list[Template]]:
    """Headlines and body sentences of the seeds, with their names marked by the pipeline."""
    from kg.pipeline import shared_nlp
    from kg.read import iter_documents, list_sources

    nlp = shared_nlp()
    heads, body = [], []
    for src in iter_documents(list_sources(seeds)):
        if isinstance(src, Exception):
            continue
        doc = nlp(src.text)
        mentions = sorted(doc._.kg_mentions, key=lambda m: (m.start, -(m.end - m.start)))
        for i, sent in enumerate(doc._.kg_sentences):
            slots, last_end = [], sent.start
            for m in mentions:
                if m.start < last_end or m.end > sent.end or m.start < sent.start:
                    continue
                if m.label in ("Event", "Studio", "Program", "Document"):
                    continue
                slots.append((m.start - sent.start, m.end - sent.start, m.label, m.text))
                last_end = m.end
            t = Template(sent.text, tuple(slots))
            (heads if i == 0 else body).append(t)
    if not body:
        raise ValueError(f"{seeds}: no sentences to build a benchmark corpus from")
    return heads or body[:1], body


class NameMaker:
    """New names of each class, with a share of earlier ones reused so entities recur."""

    def __init__(self, rng: random.Random, reuse: float = 0.6):
        from kg.pipeline.data import packaged
        from kg.pipeline.gazetteer import packaged_gazetteer

        self.rng = rng
        self.reuse = reuse
        g = packaged_gazetteer()
        self.surnames = [s for s in packaged().words("surnames") if len(s) == 1]
        self.compound = [s for s in packaged().words("surnames") if len(s) == 2]
        self.places = {lvl: sorted(d.name for d in g.divisions.values() if d.level == lvl)
                       for lvl in ("province", "prefecture", "county")}
        self.short = {lvl: sorted(f for f, codes in g.by_form.items()
                                  if f != g.divisions[codes[0]].name and g.divisions[codes[0]].level == lvl)
                      for lvl in ("province", "prefecture", "county")}
        self.gazetteer = g
        suffixes = packaged().table("org_suffixes")
        self.suffixes = {k: [s for s in suffixes[k] if len(s) >= 2] or suffixes[k]
                         for k in ("Enterprise", "TradeUnion", "GovernmentBody", "Institution")}
        self.industry = list(packaged().words("industry_words"))
        awards, contests = packaged().table("awards"), packaged().table("competitions")
        self.award_cores = awards["needs_level"]
        self.award_self = awards["self_qualified"]
        self.award_levels = awards["levels"]
        self.not_people = set(awards["needs_level"]) | set(awards["self_qualified"])
        self.contest_cores = contests["cores"]
        self.contest_levels = contests["levels"]
        self.pool: dict[str, list[str]] = {}

    def name(self, label: str, original: str) -> str:
        pool = self.pool.setdefault(label, [])
        if pool and self.rng.random() < self.reuse:
            return self.rng.choice(pool)
        made = self._make(label, original)
        if made != original:
            pool.append(made)
        return made

    def _make(self, label: str, original: str) -> str:
        r = self.rng
        if label == "Person":
            if not (2 <= len(original) <= 3) or original in self.not_people:
                return original
            surname = r.choice(self.compound) if r.random() < 0.02 else r.choice(self.surnames)
            return surname + "".join(r.choice(GIVEN_CHARS) for _ in range(r.choice((1, 2, 2))))
        if label == "Place":
            codes = self.gazetteer.by_form.get(original, ())
            level = self.gazetteer.divisions[codes[0]].level if codes else "county"
            if level not in self.places:
                return original
            full = original == self.gazetteer.canonical(original)
            return r.choice(self.places[level] if full or not self.short[level] else self.short[level])
        if label in self.suffixes:
            place = r.choice(self.places[r.choice(("province", "prefecture", "county"))])
            if label == "TradeUnion":
                if r.random() < 0.5:
                    return place + "总工会"
                return place + self._brand() + r.choice(self.industry) + r.choice(("有限公司", "集团")) + "工会"
            if label == "Enterprise":
                return place + self._brand() + r.choice(self.industry) + r.choice(self.suffixes[label])
            return place + r.choice(self.suffixes[label])
        if label == "Award":
            if r.random() < 0.15:
                return r.choice(self.award_self)
            lead = r.choice(self.award_levels) if r.random() < 0.4 else \
                r.choice(self.places[r.choice(("province", "prefecture"))])
            return lead + r.choice(self.award_cores)
        if label == "Competition":
            place = r.choice(self.places[r.choice(("province", "prefecture"))])
            brand = f"“{self._brand()}杯”" if r.random() < 0.6 else ""
            return f"{r.randrange(2015, 2027)}年{place}{brand}{r.choice(self.contest_cores)}"
        return original

    def _brand(self) -> str:
        return "".join(self.rng.choice(BRAND_CHARS) for _ in range(2))


def fill(t: Template, names: NameMaker) -> str:
    parts, pos = [], 0
    for start, end, label, original in t.slots:
        parts.append(t.text[pos:start])
        parts.append(names.name(label, original))
        pos = end
    parts.append(t.text[pos:])
    return "".join(parts)


def generate_corpus(size: int, seed: int = 7, seeds: Path | str = SEEDS) -> Iterator[tuple[str, str]]:
    """``(file name, text)`` of articles until ``size`` characters in all, the same for the same seed."""
    if size <= 0:
        raise ValueError(f"benchmark size must be a positive number of characters, not {size}")
    rng = random.Random(seed)
    heads, body = load_templates(seeds)
    names = NameMaker(rng)
    total, n = 0, 0
    while total < size:
        paras = []
        for _ in range(rng.randint(4, 12)):
            paras.append("".join(fill(rng.choice(body), names) for _ in range(rng.randint(1, 5))))
        text = fill(rng.choice(heads), names) + "\n\n" + "\n\n".join(paras) + "\n"
        n += 1
        total += len(text)
        yield f"bench_{n:07d}.txt", text


def write_corpus(size: int, folder: Path | str, seed: int = 7) -> tuple[int, int]:
    """Write the benchmark corpus as UTF-8 files; returns (documents, characters)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    docs = chars = 0
    for name, text in generate_corpus(size, seed):
        (folder / name).write_text(text, encoding="utf-8")
        docs += 1
        chars += len(text)
    return docs, chars


# ------------------------------------------------------------------ measuring


@dataclass
class Measure:
    """One timed run in a child process (wall seconds, CPU seconds, peak RSS in MiB)."""

    what: str
    jobs: int
    wall: float
    cpu: float
    extract: float = 0.0
    render: float = 0.0
    triples: int = 0
    rss_main: float = 0.0
    rss_worker: float = 0.0
    extra: dict = field(default_factory=dict)


def _rss_mib(who: int) -> float:
    import resource

    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux reports KiB


def _child_jieba(corpus: str, queue) -> None:
    """jieba.posseg over the corpus, dictionary loaded and warmed before the clock starts."""
    import logging
    import resource

    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.ERROR)
    jieba.initialize()
    list(pseg.cut("某某公司举办劳动和技能竞赛。"))
    paths = sorted(Path(corpus).glob("*.txt"))
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    words = 0
    for p in paths:
        for _ in pseg.cut(p.read_text(encoding="utf-8")):
            words += 1
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    queue.put(Measure("jieba.posseg", 1, wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime),
                      rss_main=_rss_mib(resource.RUSAGE_SELF), extra={"words": words}))


def _child_build(corpus: str, out: str, jobs: int, province: str | None, queue, fmt: str = "turtle",
                 html: bool = False) -> None:
    """kg.build of the corpus into a fresh folder, the pipeline built before the clock starts."""
    import resource

    from kg.build import build
    from kg.pipeline import shared_nlp
    from kg.settings import Settings

    settings = Settings(jobs=jobs, progress=False, **({"home_province": province} if province else {}))
    shared_nlp(settings.home_province)
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = build(corpus, out, settings, html=html, fmt=fmt)
    wall = time.perf_counter() - t0
    r1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(b.ru_utime - a.ru_utime + b.ru_stime - a.ru_stime for a, b in ((r0, r1), (c0, c1)))
    queue.put(Measure("kg build", jobs, wall, cpu, result.timings["extract"],
                      result.timings["render"] + result.timings["resolve"], result.stats["triples"],
                      _rss_mib(resource.RUSAGE_SELF), _rss_mib(resource.RUSAGE_CHILDREN),
                      extra={"timings": result.timings}))


def _in_child(target, *args, **kwargs) -> Measure:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue), kwargs=kwargs)
    proc.start()
    try:
        result = queue.get()
    finally:
        proc.join()
    if proc.exitcode:
        raise RuntimeError(f"benchmark child {target.__name__} failed (exit {proc.exitcode})")
    return result


@dataclass
class BenchReport:
    documents: int
    characters: int
    jieba: Measure
    builds: dict[int, Measure]
    load: float = 0.0
    html: bool = False

    def rate(self, seconds: float) -> float:
        return self.characters / seconds if seconds > 0 else float("inf")

    @property
    def ratio_vs_jieba(self) -> float:
        """Throughput per core: characters per CPU-second, ours (one job) over jieba's.

        CPU time, not wall time: on a shared machine a run waits for a core
        for reasons that have nothing to do with it; the work it does does not change.
        """
        return self.jieba.cpu / self.builds[1].cpu

    @property
    def ratio_vs_jieba_wall(self) -> float:
        return self.jieba.wall / self.builds[1].wall

    @property
    def speedup(self) -> float:
        return self.builds[1].wall / self.builds[max(self.builds)].wall


def run_benchmark(size: int, jobs: tuple[int, ...] = (1, 2), repeat: int = 1, seed: int = 7,
                  workdir: Path | str | None = None, province: str | None = None, log=print,
                  html: bool = False) -> BenchReport:
    """Generate a corpus of ``size`` characters and time jieba and ``kg build`` on it, interleaved.

    Every run is a fresh child process; with ``repeat`` > 1 the best of each is kept
    (the least disturbed by anything else on the machine).
    """
    if 1 not in jobs:
        raise ValueError("the benchmark needs a 1-job build: the ratios are against it")
    own = workdir is None
    root = Path(tempfile.mkdtemp(prefix="kg-bench-")) if own else Path(workdir)
    try:
        corpus = root / "corpus"
        if corpus.exists():
            shutil.rmtree(corpus)
        load = os.getloadavg()[0]
        docs, chars = write_corpus(size, corpus, seed)
        log(f"corpus: {docs} documents, {chars} characters ({corpus})")
        best_jieba: Measure | None = None
        best: dict[int, Measure] = {}
        for i in range(repeat):
            m = _in_child(_child_jieba, str(corpus))
            log(f"  run {i + 1}: jieba.posseg {m.wall:.2f} s")
            if best_jieba is None or m.wall < best_jieba.wall:
                best_jieba = m
            for j in jobs:
                out = root / f"out-{j}"
                if out.exists():
                    shutil.rmtree(out)
                m = _in_child(_child_build, str(corpus), str(out), j, province, html=html)
                log(f"  run {i + 1}: kg build --jobs {j} {m.wall:.2f} s")
                if j not in best or m.wall < best[j].wall:
                    best[j] = m
        for name in ("graph.ttl", "graph.html") if html else ("graph.ttl",):
            outputs = [(root / f"out-{j}" / name).read_bytes() for j in jobs]
            if any(o != outputs[0] for o in outputs):
                raise RuntimeError(f"builds with different --jobs gave different {name}")
        return BenchReport(docs, chars, best_jieba, best, load, html)
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)


def format_report(r: BenchReport) -> str:
    """The figures, then the two machine-readable last lines."""
    k = lambda x: f"{x / 1000:,.1f}k"  # noqa: E731
    lines = [f"corpus        {r.documents} documents, {r.characters:,} characters",
             "(pipeline and jieba dictionary loaded before timing, so neither load time counts)",
             f"load average  {r.load:.2f} at start on {os.cpu_count()} cores" + (
                 "  (busy machine: wall times and the speedup are disturbed)" if r.load > 0.5 else ""),
             f"jieba.posseg  {k(r.rate(r.jieba.wall))} chars/s ({r.jieba.wall:.2f} s wall, {r.jieba.cpu:.2f} s CPU, "
             f"{k(r.rate(r.jieba.cpu))} chars per CPU-second)   peak RSS {r.jieba.rss_main:,.0f} MiB"]
    for j, m in sorted(r.builds.items()):
        lines.append(f"kg build --jobs {j}")
        lines.append(f"  extraction      {k(r.rate(m.extract))} chars/s ({m.extract:.2f} s)")
        lines.append(f"  whole build     {k(r.rate(m.wall))} chars/s ({m.wall:.2f} s wall, {m.cpu:.2f} s CPU, "
                     f"{k(r.rate(m.cpu))} chars per CPU-second)")
        t = m.extra.get("timings", {})
        if j == 1 and "cpu_extract" in t:
            lines.append(f"  CPU by stage    extraction {t['cpu_extract']:.2f} s, identity resolution "
                         f"{t['cpu_resolve']:.2f} s, RDF + Turtle{' + page' if r.html else ''} {t['cpu_render']:.2f} s")
        lines.append(f"  resolve+RDF+write  {m.triples / m.render / 1000 if m.render else 0:,.1f}k triples/s "
                     f"({m.triples:,} triples, {m.render:.2f} s)")
        if j > 1:
            lines.append(f"  cores used      {m.cpu / m.wall:.2f} on average of {j} (CPU seconds / wall seconds: "
                         "below ~1.8 the machine did not give the workers two cores)")
        lines.append(f"  peak RSS        {m.rss_main:,.0f} MiB main" + (
            f", {m.rss_worker:,.0f} MiB per worker" if j > 1 else ""))
    if len(r.builds) > 1:
        top = max(r.builds)
        lines.append(f"extraction speedup with {top} jobs: {r.builds[1].extract / r.builds[top].extract:.2f}")
    lines.append(f"ratio vs jieba by wall time (1 job): {r.ratio_vs_jieba_wall:.2f}")
    lines.append(f"ratio_vs_jieba: {r.ratio_vs_jieba:.2f}")
    if len(r.builds) > 1:
        lines.append(f"speedup_{max(r.builds)}_jobs: {r.speedup:.2f}")
    return "\n".join(lines)


def memory_table(sizes: list[int], jobs: int = 2, seed: int = 7, log=print) -> list[dict]:
    """Peak RSS of the building process and of a worker for each corpus size, output format,
    and with and without ``graph.html``; each build in a fresh child process."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-memory-") as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}"
            docs, chars = write_corpus(size, corpus, seed)
            for fmt in ("nt", "turtle"):
                for html in (False, True):
                    out = Path(tmp) / f"out-{size}-{fmt}-{html}"
                    m = _in_child(_child_build, str(corpus), str(out), jobs, None, fmt=fmt, html=html)
                    graph = out / ("graph.nt" if fmt == "nt" else "graph.ttl")
                    row = {"characters": chars, "documents": docs, "format": fmt, "html": html,
                           "main_mib": round(m.rss_main), "worker_mib": round(m.rss_worker),
                           "output_mb": round(graph.stat().st_size / 1e6, 1),
                           "html_mb": round((out / "graph.html").stat().st_size / 1e6, 1) if html else 0,
                           "cache_mb": round((out / ".kg-cache.sqlite").stat().st_size / 1e6, 1)}
                    log(json.dumps(row))
                    rows.append(row)
                    shutil.rmtree(out)
    return rows


def _process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _peak_rss_mib(pid: int) -> float | None:
    """The kernel's high-water mark of a process's resident memory (VmHWM), in MiB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def large_build(size: int, workdir: Path | str, jobs: int = 2, html: bool = True, fmt: str = "turtle",
                seed: int = 7, log=print) -> dict:
    """One ``kg build`` of a generated corpus of ``size`` characters with the page, in a child
    process, with the peak RSS of every process of the build (VmHWM of the building process and of
    each worker, sampled twenty times a second) and the sizes of what it wrote."""
    root = Path(workdir)
    corpus = root / f"corpus-{size}"
    stamp = corpus / ".complete"
    if not stamp.exists():
        t0 = time.perf_counter()
        docs, chars = write_corpus(size, corpus, seed)
        stamp.write_text(f"{docs} {chars}\n", encoding="ascii")
        log(f"corpus: {docs} documents, {chars} characters in {time.perf_counter() - t0:.0f} s ({corpus})")
    docs, chars = map(int, stamp.read_text(encoding="ascii").split())
    out = root / f"out-{size}"
    if out.exists():
        shutil.rmtree(out)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child_build, args=(str(corpus), str(out), jobs, None, queue),
                       kwargs={"fmt": fmt, "html": html})
    load = os.getloadavg()
    proc.start()
    peaks: dict[int, float] = {}
    result = None
    while result is None:
        for pid in _process_tree(proc.pid):
            rss = _peak_rss_mib(pid)
            if rss is not None:
                peaks[pid] = max(peaks.get(pid, 0.0), rss)
        try:
            result = queue.get(timeout=0.05)  # workers of a small build live well under a second
        except Exception:  # queue.Empty: still building
            if not proc.is_alive():
                break
    proc.join()
    if proc.exitcode or result is None:
        raise RuntimeError(f"the large build failed (exit {proc.exitcode})")
    worker_peaks = sorted((v for pid, v in peaks.items() if pid != proc.pid), reverse=True)
    graph = out / ("graph.ttl" if fmt == "turtle" else f"graph.{fmt}")
    page = out / "graph.html"
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    report = {
        "characters": chars, "documents": docs, "jobs": jobs, "load_at_start": round(load[0], 2),
        "wall_s": round(result.wall, 1), "cpu_s": round(result.cpu, 1), "triples": result.triples,
        "extract_s": round(result.extract, 1), "entities": sum(stats["entities"].values()),
        "evidence": stats["evidence"],
        "peak_rss_main_mib": round(peaks.get(proc.pid, result.rss_main)),
        "peak_rss_workers_mib": [round(v) for v in worker_peaks],
        "graph_mb": round(graph.stat().st_size / 1e6, 1),
        "page_mb": round(page.stat().st_size / 1e6, 1) if html else None,
        "page": ("overview" if html and 'id="results-box"' in page.read_text(encoding="utf-8")[:20000]
                 else "interactive") if html else None,
        "cache_mb": round((out / ".kg-cache.sqlite").stat().st_size / 1e6, 1),
        "swap_total_kib": _swap_total(),
    }
    return report


def _swap_total() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("SwapTotal:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def component_times(size: int, seed: int = 7) -> list[tuple[str, float]]:
    """CPU seconds of each part of the extraction pipeline (making the Doc, then every
    ``nlp.pipeline`` component in order) over a generated corpus of ``size`` characters, in
    this process with the pipeline loaded first: where extraction's time goes."""
    from kg.pipeline import shared_nlp

    docs = [text for _, text in generate_corpus(size, seed)]
    nlp = shared_nlp()
    nlp("预热。")
    spent = {"make_doc": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    clock = time.process_time
    for text in docs:
        t = clock()
        doc = nlp.make_doc(text)
        spent["make_doc"] += clock() - t
        for name, component in nlp.pipeline:
            t = clock()
            doc = component(doc)
            spent[name] += clock() - t
    return list(spent.items())


def main(argv: list[str] | None = None) -> None:
    """``python -m kg.bench memory SIZE...``: the README's memory table (``kg bench`` times builds);
    ``python -m kg.bench large SIZE --workdir DIR``: one large build with the peak RSS of every process;
    ``python -m kg.bench components SIZE``: the CPU share of each extraction component."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kg.bench")
    parser.add_argument("what", choices=["memory", "large", "components"])
    parser.add_argument("sizes", nargs="+", type=int, help="corpus sizes in characters")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workdir", type=Path, help="large: where the corpus and the build go (kept)")
    parser.add_argument("--no-html", action="store_true", help="large: without graph.html")
    args = parser.parse_args(argv)
    if args.what == "components":
        for size in args.sizes:
            times = component_times(size)
            total = sum(t for _, t in times) or 1.0
            print(f"{size:,} characters: extraction {total:.2f} s CPU, {size / total / 1000:.1f}k characters per CPU-second")
            for name, t in times:
                print(f"  {name:22s} {t:7.3f} s  {100 * t / total:5.1f} %")
        return
    if args.what == "large":
        if args.workdir is None:
            parser.error("large needs --workdir")
        for size in args.sizes:
            print(json.dumps(large_build(size, args.workdir, args.jobs, html=not args.no_html,
                                         log=lambda m: print(m, file=sys.stderr)), ensure_ascii=False))
        return
    print("| corpus | format | graph.html | building process | each worker | output | page | cache |")
    print("|---|---|---|---|---|---|---|---|")
    for r in memory_table(args.sizes, args.jobs, log=lambda m: print(m, file=sys.stderr)):
        print(f"| {r['characters'] / 1e6:.1f} M characters, {r['documents']:,} documents | "
              f"{'N-Triples' if r['format'] == 'nt' else 'Turtle'} | {'yes' if r['html'] else 'no'} | "
              f"{r['main_mib']} MiB | {r['worker_mib']} MiB | {r['output_mb']} MB | "
              f"{str(r['html_mb']) + ' MB' if r['html'] else '–'} | {r['cache_mb']} MB |")


if __name__ == "__main__":
    main()
