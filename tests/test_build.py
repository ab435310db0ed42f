"""End to end: the seeds built into Turtle, HTML and stats; determinism; bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import pyoxigraph
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

import kg
from kg.namespaces import KG
from tests.conftest import SEEDS, copy_seeds, output_files

KG_CMD = [sys.executable, "-m", "kg.cli"]


def _entity(g: rdflib.Graph, cls: str, label: str) -> URIRef:
    for s in g.subjects(RDF.type, KG[cls]):
        names = {str(o) for o in g.objects(s, RDFS.label)} | {str(o) for o in g.objects(s, SKOS.altLabel)}
        if label in names:
            return s
    raise AssertionError(f"no {cls} labelled {label}")


@pytest.fixture(scope="module")
def graph(seeds_ttl) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(seeds_ttl, format="turtle")
    return g


def test_outputs_written(seeds_build):
    for name in ("graph.ttl", "graph.html", "stats.json"):
        assert seeds_build.outputs[name].stat().st_size > 0


def test_real_facts_of_the_articles(graph):
    p = _entity(graph, "Person", "钟松梅")
    award = _entity(graph, "Award", "全国劳动模范")
    assert (p, KG.receivedAward, award) in graph
    assert (_entity(graph, "Person", "曾祥宗"), KG.worksFor,
            _entity(graph, "Enterprise", "江铃汽车股份有限公司")) in graph
    assert (_entity(graph, "Person", "尹弘"), KG.worksFor, _entity(graph, "GovernmentBody", "江西省委")) in graph
    assert (_entity(graph, "Person", "邵志明"), KG.receivedAward, _entity(graph, "Award", "上饶市五一劳动奖章")) in graph
    assert (_entity(graph, "Person", "李德鑫"), KG.participatedIn,
            _entity(graph, "Competition", "世界技能大赛特别赛")) in graph
    unit = _entity(graph, "Institution", "南昌大学国家硅基LED工程技术研究中心")
    assert (unit, KG.subOrganizationOf, _entity(graph, "Institution", "南昌大学")) in graph
    assert (_entity(graph, "Enterprise", "樟树天齐堂中药饮片有限公司"), KG.locatedIn,
            _entity(graph, "Place", "樟树")) in graph


def test_one_node_per_thing_with_aliases(graph):
    union = _entity(graph, "TradeUnion", "江西省总工会")
    assert Literal("省总工会", lang="zh") in set(graph.objects(union, SKOS.altLabel))
    assert str(graph.value(union, RDFS.label)) == "江西省总工会"
    hubei = _entity(graph, "TradeUnion", "湖北省总工会")
    assert hubei != union and Literal("省总工会", lang="zh") in set(graph.objects(hubei, SKOS.altLabel))
    jiangxi = _entity(graph, "Place", "江西")
    assert _entity(graph, "Place", "江西省") == jiangxi
    labels = list(graph.objects(jiangxi, RDFS.label))
    assert len(labels) == 1 and labels[0].language == "zh"


def test_every_core_type_and_relation_present(graph):
    for cls in ("Person", "Enterprise", "TradeUnion", "GovernmentBody", "Institution", "Place",
                "Award", "Competition"):
        assert any(graph.subjects(RDF.type, KG[cls])), cls
    for rel in ("worksFor", "receivedAward", "participatedIn", "locatedIn", "heldIn", "organizedBy",
                "subOrganizationOf"):
        assert any(graph.subject_objects(KG[rel])), rel


def test_turtle_parses_with_pyoxigraph_too(seeds_ttl, graph):
    store = pyoxigraph.Store()
    store.load(path=str(seeds_ttl), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(graph)


def test_prefixes_declared(seeds_ttl):
    head = seeds_ttl.read_text(encoding="utf-8")[:2000]
    for prefix in ("@prefix kg:", "@prefix rdfs:", "@prefix skos:", "@prefix prov:"):
        assert prefix in head


def test_same_input_twice_gives_identical_turtle(tmp_path, seeds_build):
    again = kg.build(SEEDS, tmp_path / "again", kg.Settings(progress=False))
    assert again.outputs["graph.ttl"].read_bytes() == seeds_build.outputs["graph.ttl"].read_bytes()


def test_stats_per_class_relation_and_document(seeds_build):
    stats = json.loads(seeds_build.outputs["stats.json"].read_text(encoding="utf-8"))
    assert stats["documents"] == 5
    assert stats["entities"]["Person"] > 10 and stats["relations"]["receivedAward"] > 0
    assert set(stats["per_document"]) == {p.name for p in SEEDS.glob("*.txt")}
    doc = stats["per_document"]["000_4ec1a5a535e68728.txt"]
    assert doc["entities"]["Person"] > 5 and doc["encoding"] == "utf-8"


def test_html_is_offline(seeds_build):
    page = seeds_build.outputs["graph.html"].read_text(encoding="utf-8")
    assert "vis" in page and "钟松梅" in page
    assert "https://" not in page.split("<body", 1)[0] or "cdn" not in page.lower()
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page


def test_gbk_file_is_built_not_skipped(corpus, tmp_path):
    text = (SEEDS / "002_225162b121309649.txt").read_text(encoding="utf-8")
    src = corpus({"gbk.txt": text.encode("gb18030")})
    result = kg.build(src, tmp_path / "out", kg.Settings(progress=False))
    assert result.stats["per_document"]["gbk.txt"]["encoding"] == "gb18030"
    assert not result.skipped and result.stats["entities"]["Person"] >= 2


def test_bad_files_among_good_are_skipped_and_reported(corpus, tmp_path):
    good = (SEEDS / "002_225162b121309649.txt").read_text(encoding="utf-8")
    src = corpus({"good.txt": good, "empty.txt": b"", "binary.txt": b"\x00\x01\x02" * 50,
                  "broken.txt": good.encode("utf-8")[:30] + b"\xff\xfe" + good.encode("utf-8")[30:300],
                  "bom.txt": b"\xef\xbb\xbf" + "省总工会举办活动。".encode("utf-8")})
    proc = subprocess.run(KG_CMD + ["build", str(src), "--out", str(tmp_path / "out"), "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for name in ("empty.txt", "binary.txt", "broken.txt"):
        assert name in proc.stderr
    stats = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))
    assert sorted(stats["per_document"]) == ["bom.txt", "good.txt"]
    assert len(stats["skipped"]) == 3


@pytest.mark.parametrize("files", [None, {"empty.txt": b""}, {"notes.pdf": b"%PDF-1.4"}])
def test_nothing_buildable_exits_non_zero_and_keeps_old_output(tmp_path, corpus, files):
    out = tmp_path / "out"
    copy_seeds(tmp_path / "seeds", ["002_225162b121309649.txt"])
    assert subprocess.run(KG_CMD + ["build", str(tmp_path / "seeds"), "--out", str(out), "-q"]).returncode == 0
    before = output_files(out)
    assert set(before) == {"graph.ttl", "graph.html", "stats.json", ".kg-cache.sqlite"}
    src = corpus(files) if files else tmp_path / "missing"
    proc = subprocess.run(KG_CMD + ["build", str(src), "--out", str(out), "-q"], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "kg: error:" in proc.stderr and str(src) in proc.stderr
    assert output_files(out) == before


def test_failed_write_leaves_earlier_output_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    copy_seeds(tmp_path / "seeds", ["002_225162b121309649.txt"])
    kg.build(tmp_path / "seeds", out, kg.Settings(progress=False))
    before = (out / "graph.ttl").read_bytes()
    copy_seeds(tmp_path / "seeds")
    from kg import files as kg_files

    real_replace = kg_files.os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("graph.ttl"):
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(kg_files.os, "replace", failing_replace)
    with pytest.raises(OSError):
        kg.build(tmp_path / "seeds", out, kg.Settings(progress=False))
    assert (out / "graph.ttl").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_cli_help_lists_build():
    proc = subprocess.run(KG_CMD + ["--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "build" in proc.stdout


def test_labels_are_chinese_literals(graph):
    for s, o in graph.subject_objects(RDFS.label):
        if (s, RDF.type, KG.Person) in graph:
            assert isinstance(o, Literal) and o.language == "zh"
