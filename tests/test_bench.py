"""kg bench: the corpus generator, and the report's format on a tiny size (no speed is asserted)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from kg.bench import generate_corpus


def _people(size: int) -> set[str]:
    from kg.pipeline import shared_nlp

    nlp = shared_nlp()
    names = set()
    for _, text in generate_corpus(size, seed=3):
        names |= {m.name for m in nlp(text)._.kg_mentions if m.label == "Person"}
    return names


def test_corpus_is_deterministic_and_sized():
    a = list(generate_corpus(8_000, seed=5))
    assert a == list(generate_corpus(8_000, seed=5))
    assert a != list(generate_corpus(8_000, seed=6))
    total = sum(len(t) for _, t in a)
    assert 8_000 <= total < 8_000 + max(len(t) for _, t in a)
    assert all(name.endswith(".txt") for name, _ in a)


def test_names_grow_with_the_corpus():
    small, big = _people(6_000), _people(24_000)
    assert len(big) > 1.5 * len(small) > 0


def test_bench_command_prints_figures_and_machine_readable_last_lines(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "bench", "--size", "6000", "--workdir", str(tmp_path),
                           "--html"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert re.fullmatch(r"ratio_vs_jieba: \d+\.\d\d", lines[-2])
    assert re.fullmatch(r"speedup_2_jobs: \d+\.\d\d", lines[-1])
    text = proc.stdout
    for needle in ("jieba.posseg", "kg build --jobs 1", "kg build --jobs 2", "extraction", "whole build",
                   "triples/s", "peak RSS", "RDF + Turtle + page"):
        assert needle in text
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / "out-1" / name).read_bytes() == (tmp_path / "out-2" / name).read_bytes()


def test_large_build_reports_the_peak_memory_of_every_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg.bench", "large", "6000", "--workdir", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["characters"] >= 6000 and report["jobs"] == 2 and report["triples"] > 1000
    assert 100 < report["peak_rss_main_mib"] < 4096
    assert len(report["peak_rss_workers_mib"]) >= 2 and all(50 < m < 4096 for m in report["peak_rss_workers_mib"])
    assert report["page"] == "interactive" and report["page_mb"] > 0 and report["graph_mb"] > 0
    stats = json.loads((tmp_path / "out-6000" / "stats.json").read_text(encoding="utf-8"))
    assert report["entities"] == sum(stats["entities"].values()) > 10 and report["evidence"] == stats["evidence"]
    assert (tmp_path / "out-6000" / "graph.html").is_file()


def test_component_times_cover_the_whole_pipeline_in_order():
    from kg.bench import component_times
    from kg.pipeline import shared_nlp

    times = component_times(3000)
    assert [name for name, _ in times] == ["make_doc", *shared_nlp().pipe_names]
    assert all(t >= 0 for _, t in times) and sum(t for _, t in times) > 0


def test_components_report_prints_each_part_with_its_share(capsys):
    from kg.bench import main

    main(["components", "3000"])
    out = capsys.readouterr().out
    assert "3,000 characters: extraction" in out
    for name in ("make_doc", "kg_name_tagger", "kg_relation_rules"):
        assert re.search(rf"^  {name} +\d+\.\d{{3}} s +\d+\.\d %$", out, re.M), name
