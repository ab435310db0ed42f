"""kg query and the saved queries: expected rows on the seeds' graph, the query logic on a small
hand-written graph, result formats, errors and exit codes."""
from __future__ import annotations

import csv
import io
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.query import (QueryError, GraphFileError, bind_params, display_width, format_table, query_params,
                      resolve_query, run_query, run_saved, saved_queries, store_dir)

QUOTES = "“”‘’「」\"'《》"
CLOSED_CLASS_WORDS = {"全国", "中国", "中华", "省级", "市级", "县级", "其他", "省", "自治区", "北京市", "上海市",
                      "天津市", "重庆市", "市", "州", "盟", "地区", "县", "区", "旗", "、", "“"}


def norm(text: str | None) -> str:
    return "" if text is None else "".join(ch for ch in text if ch not in QUOTES and not ch.isspace())


def rows(graph, query_name, **params) -> list[dict[str, str]]:
    return run_saved(graph, query_name, params or None).records()


def has_row(records, **expected) -> bool:
    return any(all(norm(r.get(k)) == norm(v) for k, v in expected.items()) for r in records)


# ---------------------------------------------------------------- the library of saved queries

def test_at_least_ten_saved_queries_each_saying_what_it_answers():
    queries = saved_queries()
    assert len(queries) >= 10
    for q in queries.values():
        assert q.text.startswith("# "), q.name
        assert len(q.description) > 20, q.name
        assert set(q.params) == set(query_params(q.text)), q.name


def test_saved_queries_are_generic():
    """No instance names in the queries themselves: only closed-class words (levels, division suffixes)."""
    for q in saved_queries().values():
        body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
        for word in re.findall(r"[\u3000-\u9fff\uff00-\uffef]+", body):
            assert word in CLOSED_CLASS_WORDS or set(word) <= set("|"), (q.name, word)


def test_every_saved_query_runs_on_the_seeds(seeds_ttl):
    for name in saved_queries():
        result = run_saved(seeds_ttl, name)
        assert result.kind == "select", name
        assert result.seconds < 5, (name, result.seconds)


# ---------------------------------------------------------------- expected rows on the seeds' graph
# Facts the seed articles state and the extraction produces today; names compared without quotes.

def test_honours(seeds_ttl):
    r = rows(seeds_ttl, "honours")
    assert has_row(r, recipient="钟松梅", honour="全国劳动模范")
    assert has_row(r, recipient="刘定军", honour="全国先进工作者")
    assert has_row(r, recipient="王光绪", honour="江西省劳动模范")
    assert has_row(r, recipient="杨俊", honour="全国最美职工", year="2025")
    assert not has_row(r, recipient="杨俊", honour="全国最美职工", year=None), "undated duplicate of a dated receipt"
    only = rows(seeds_ttl, "honours", name="钟松梅")
    assert only and all(x["recipient"] == "钟松梅" for x in only)


def test_enterprises_ranked_by_honoured_staff(seeds_ttl):
    r = rows(seeds_ttl, "enterprises-by-honoured-staff", **{"class": "Enterprise"})
    assert r and all(x["type"] == "Enterprise" for x in r)
    counts = [int(x["honoured"]) for x in r]
    assert counts == sorted(counts, reverse=True)
    jl = next(x for x in r if x["employer"] == "江铃汽车股份有限公司")
    assert any(name.startswith("杨准") for name in jl["people"].split("、"))  # 高级技师杨准正表示: 杨准正 or 杨准
    everyone = rows(seeds_ttl, "enterprises-by-honoured-staff")
    assert has_row(everyone, employer="南昌大学国家硅基LED工程技术研究中心", people="王光绪")


def test_competitions_and_where_they_were_held(seeds_ttl):
    r = rows(seeds_ttl, "competitions")
    assert any("天工杯" in x["competition"] and x.get("heldIn") == "南昌市" for x in r)
    assert has_row(r, competition="世界技能大赛特别赛")


def test_people_linked_to_a_competition(seeds_ttl):
    r = rows(seeds_ttl, "competition-people")
    assert has_row(r, competition="世界技能大赛特别赛", role="participant", who="李德鑫", **{"class": "Person"})
    assert any("天工杯" in x["competition"] and x["role"] == "organizer" and x["who"] == "江西省总工会" for x in r)
    assert rows(seeds_ttl, "competition-people", name="世界技能大赛特别赛")


def test_organisations_in_a_place_transitively(seeds_ttl):
    r = rows(seeds_ttl, "organisations-in-place", place="江西")
    assert all(x["placeName"] == "江西省" for x in r)
    assert has_row(r, organisation="南昌大学", locatedIn="南昌市")
    assert has_row(r, organisation="江西省安福县总工会", locatedIn="安福县")
    direct = rows(seeds_ttl, "organisations-in-place", place="南昌市")
    assert has_row(direct, organisation="南昌大学", locatedIn="南昌市")


def test_evidence_behind_a_fact(seeds_ttl):
    r = rows(seeds_ttl, "evidence", subject="钟松梅", relation="receivedAward", object="全国劳动模范")
    assert r
    assert all(x["relationName"] == "receivedAward" for x in r)
    assert any("钟松梅获评全国劳动模范" in norm(x["sentence"]) for x in r)
    assert {x["file"] for x in r} >= {"001_d5db5192d06014bd.txt"}
    assert all(x["rule"] and 0 < float(x["confidence"]) <= 1 for x in r)


def test_people_who_share_an_employer(seeds_ttl):
    r = rows(seeds_ttl, "coworkers")
    assert any(x["employerName"] == "江铃汽车股份有限公司" and {x["person1"], x["person2"][:2]} == {"曾祥宗", "杨准"}
               for x in r)
    assert all(x["person1"] < x["person2"] for x in r)


def test_sub_organisations(seeds_ttl):
    r = rows(seeds_ttl, "sub-organisations")
    assert has_row(r, organisation="江铃汽车股份有限公司", subOrganisation="江铃汽车股份有限公司富山工厂", direct="true")
    assert has_row(r, organisation="南昌大学", subOrganisation="南昌大学国家硅基LED工程技术研究中心")
    assert has_row(r, organisation="江西铜业股份有限公司", subOrganisation="江西铜业股份有限公司贵溪冶炼厂")


def test_awards_by_level(seeds_ttl):
    r = rows(seeds_ttl, "awards-by-level")
    level = {norm(x["awardName"]): x["levelName"] for x in r}
    assert level["全国劳动模范"] == "全国"
    assert level["江西省劳动模范"] == "省级"
    assert level["上饶市五一劳动奖章"] == "市级"
    assert int(next(x for x in r if x["awardName"] == "全国劳动模范")["recipients"]) >= 1
    order = ["全国", "省级", "市级", "县级", "其他"]
    assert [order.index(x["levelName"]) for x in r] == sorted(order.index(x["levelName"]) for x in r)
    assert all(x["levelName"] == "市级" for x in rows(seeds_ttl, "awards-by-level", level="市级"))


def test_entities_mentioned_in_a_document(seeds_ttl):
    r = rows(seeds_ttl, "document-entities", file="001_d5db5192d06014bd.txt")
    assert r and {x["fileName"] for x in r} == {"001_d5db5192d06014bd.txt"}
    assert has_row(r, **{"class": "Person"}, entity="钟松梅")
    assert has_row(r, **{"class": "Person"}, entity="杨俊")
    assert has_row(r, **{"class": "Award"}, entity="全国劳动模范")
    assert int(next(x for x in r if x["entity"] == "钟松梅")["mentions"]) >= 2


def test_about_an_entity_and_people(seeds_ttl):
    r = rows(seeds_ttl, "about", name="曾祥宗")
    assert has_row(r, entity="曾祥宗", direction="→", relation="worksFor", other="江铃汽车股份有限公司")
    people = rows(seeds_ttl, "people", name="钟松梅")
    assert len(people) == 1 and "全国劳动模范" in people[0]["honours"]
    hubs = rows(seeds_ttl, "most-connected", **{"class": "TradeUnion"})
    assert hubs and hubs[0]["entity"] == "江西省总工会"


def test_employer_written_before_the_person(seeds_ttl):
    """在江西银杉白水泥有限公司,职工韩光星…获评吉安市庐陵工匠 (003 article)."""
    assert has_row(rows(seeds_ttl, "about", name="韩光星"), relation="worksFor", other="江西银杉白水泥有限公司")


def test_honour_after_a_long_clause(seeds_ttl):
    assert any("庐陵工匠" in x["honour"] for x in rows(seeds_ttl, "honours", name="韩光星"))


# ---------------------------------------------------------------- query logic on a hand-written graph

FIXTURE = """
@prefix kg: <https://w3id.org/cn-union-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://example.org/id/> .
id:p1 a kg:Person ; rdfs:label "甲一"@zh ; kg:worksFor id:plant ; kg:receivedAward id:a1 .
id:p2 a kg:Person ; rdfs:label "乙二"@zh ; kg:worksFor id:co ; kg:receivedAward id:a2 .
id:p3 a kg:Person ; rdfs:label "丙三"@zh ; kg:worksFor id:other ; kg:receivedAward id:a1 .
id:p4 a kg:Person ; rdfs:label "丁四"@zh ; kg:worksFor id:co .
id:co a kg:Enterprise ; rdfs:label "某甲公司"@zh ; skos:altLabel "某甲"@zh ; kg:locatedIn id:county .
id:plant a kg:Enterprise ; rdfs:label "某甲公司一厂"@zh ; kg:subOrganizationOf id:co .
id:other a kg:Enterprise ; rdfs:label "某乙公司"@zh .
id:county a kg:Place ; rdfs:label "某县"@zh ; kg:locatedIn id:city .
id:city a kg:Place ; rdfs:label "某市"@zh ; skos:altLabel "某"@zh ; kg:locatedIn id:prov .
id:prov a kg:Place ; rdfs:label "某省"@zh .
id:a1 a kg:Award ; rdfs:label "全国某奖"@zh .
id:a2 a kg:Award ; rdfs:label "某市某奖"@zh .
id:r1 a kg:AwardReceipt ; kg:recipient id:p1 ; kg:award id:a1 .
id:r2 a kg:AwardReceipt ; kg:recipient id:p1 ; kg:award id:a1 ; kg:year 2024 .
id:r3 a kg:AwardReceipt ; kg:recipient id:p2 ; kg:award id:a2 .
id:r4 a kg:AwardReceipt ; kg:recipient id:p3 ; kg:award id:a1 .
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("small") / "g.ttl"
    p.write_text(FIXTURE, encoding="utf-8")
    return p


def test_logic_honours_prefers_the_dated_receipt(small):
    got = sorted((x["recipient"], x["honour"], x.get("year")) for x in rows(small, "honours"))
    assert got == [("丙三", "全国某奖", None), ("乙二", "某市某奖", None), ("甲一", "全国某奖", "2024")]
    assert [x["recipient"] for x in rows(small, "honours", award="全国某奖")] == ["丙三", "甲一"]


def test_logic_ranking_counts_units_and_orders(small):
    r = rows(small, "enterprises-by-honoured-staff")
    assert [(x["employer"], x["honoured"]) for x in r] == [("某甲公司", "2"), ("某乙公司", "1"), ("某甲公司一厂", "1")]
    assert sorted(r[0]["people"].split("、")) == ["乙二", "甲一"]


def test_logic_places_and_coworkers_are_transitive(small):
    r = rows(small, "organisations-in-place", place="某")
    assert {x["organisation"] for x in r} == {"某甲公司", "某甲公司一厂"}
    assert {x["organisation"] for x in rows(small, "organisations-in-place", place="某省")} == {"某甲公司", "某甲公司一厂"}
    pairs = {(x["person1"], x["person2"]) for x in rows(small, "coworkers", employer="某甲")}
    assert pairs == {("丁四", "乙二"), ("丁四", "甲一"), ("乙二", "甲一")}


def test_logic_award_levels(small):
    level = {x["awardName"]: x["levelName"] for x in rows(small, "awards-by-level")}
    assert level == {"全国某奖": "全国", "某市某奖": "市级"}


# ---------------------------------------------------------------- parameters, formats, errors

def test_params_are_plain_sparql_literals():
    q = "SELECT * WHERE { VALUES ?name { UNDEF } VALUES ?x {UNDEF} ?s ?p ?name }"
    assert query_params(q) == ["name", "x"]
    bound = bind_params(q, {"name": 'a"b\\c\n'})
    assert 'VALUES ?name { "a\\"b\\\\c\\n" }' in bound and "VALUES ?x {UNDEF}" in bound
    with pytest.raises(QueryError, match="no parameter nope"):
        bind_params(q, {"nope": "1"})


def test_resolve_query(tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("ASK {}", encoding="utf-8")
    assert resolve_query(str(f)) == "ASK {}"
    assert resolve_query("honours") == saved_queries()["honours"].text
    assert resolve_query("SELECT * WHERE { ?s ?p ?o }").startswith("SELECT")
    with pytest.raises(QueryError, match="not found"):
        resolve_query(str(tmp_path / "missing.rq"))
    with pytest.raises(QueryError, match="neither"):
        resolve_query("no-such-query")


def test_table_aligns_wide_characters(small):
    assert display_width("钟松梅ab") == 8
    table = format_table(run_saved(small, "honours")).splitlines()
    assert table[0].split() == ["recipient", "class", "honour", "year"]
    starts = [display_width(line[:line.index("Person")]) for line in table[2:-1]]
    assert len(set(starts)) == 1, table
    assert table[-1] == "(3 rows)"


def test_w3c_result_formats(small):
    res = run_saved(small, "honours")
    data = json.loads(res.serialize("json"))
    assert data["head"]["vars"] == ["recipient", "class", "honour", "year"]
    first = data["results"]["bindings"][0]
    assert first["recipient"] == {"type": "literal", "value": "丙三", "xml:lang": "zh"}
    assert "year" not in first
    rows_csv = list(csv.reader(io.StringIO(res.serialize("csv").decode("utf-8"))))
    assert rows_csv[0] == ["recipient", "class", "honour", "year"]
    assert rows_csv[3] == ["甲一", "Person", "全国某奖", "2024"]
    tsv = res.serialize("tsv").decode("utf-8").splitlines()
    assert tsv[0] == "?recipient\t?class\t?honour\t?year"
    assert tsv[3].startswith('"甲一"@zh\t"Person"\t')
    assert b"<sparql" in res.serialize("xml")
    assert run_query(small, "ASK { ?s a <https://w3id.org/cn-union-kg/ontology#Person> }").boolean is True


def test_store_is_cached_beside_the_graph(tmp_path):
    g = tmp_path / "g.ttl"
    g.write_text(FIXTURE, encoding="utf-8")
    run_query(g, "ASK {}")
    cache = store_dir(g)
    assert (cache / ".complete").exists() and cache.parent == tmp_path / ".store"
    g.write_text(FIXTURE + '<https://example.org/id/x> a <https://w3id.org/cn-union-kg/ontology#Person> .\n',
                 encoding="utf-8")
    assert len(run_query(g, "SELECT ?p WHERE { ?p a kg:Person }").rows) == 5
    assert store_dir(g) != cache
    assert len(run_query(g, "SELECT ?p WHERE { ?p a kg:Person }", cache=False).rows) == 5


def test_errors(tmp_path, small):
    with pytest.raises(GraphFileError, match="not found"):
        run_query(tmp_path / "none.ttl", "ASK {}")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<", encoding="utf-8")
    with pytest.raises(GraphFileError, match="bad.ttl"):
        run_query(bad, "ASK {}")
    with pytest.raises(QueryError, match="invalid SPARQL"):
        run_query(small, "SELECT * WHERE {")


def test_cli(small, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["query", str(small), "honours", "--param", "name=甲一", "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["recipient,class,honour,year", "甲一,Person,全国某奖,2024"]
    r = runner.invoke(app, ["query", str(small), "SELECT * WHERE {"])
    assert r.exit_code == 2 and "invalid SPARQL" in r.stderr
    r = runner.invoke(app, ["query", str(tmp_path / "missing.ttl"), "honours"])
    assert r.exit_code == 2 and "missing.ttl" in r.stderr
    r = runner.invoke(app, ["query", str(small), "--list"])
    assert r.exit_code == 0 and all(name in r.stdout for name in saved_queries())
    r = runner.invoke(app, ["query", str(small), "CONSTRUCT WHERE { ?s a kg:Award }", "-f", "nt"])
    assert r.exit_code == 0 and r.stdout.count(" .\n") == 2


def test_cli_process_exit_codes(small, tmp_path):
    """The installed entry point, as a user runs it."""
    cmd = [sys.executable, "-m", "kg.cli", "query"]
    done = subprocess.run(cmd + [str(small), "honours", "-f", "json"], capture_output=True, timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout)["head"]["vars"][0] == "recipient"
    done = subprocess.run(cmd + [str(tmp_path / "nope.ttl"), "honours"], capture_output=True, timeout=120)
    assert done.returncode == 2 and b"nope.ttl" in done.stderr


# ---------------------------------------------------------------- a running query can be stopped

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _start_runaway(graph: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "query", str(graph), CROSS_PRODUCT, *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_busy(proc: subprocess.Popen, seconds: float = 60) -> None:
    """Until the query is running: it has pinned the store (opened its ``.complete``) and works hard."""
    import psutil

    p = psutil.Process(proc.pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        if any(f.path.endswith("/.complete") for f in p.open_files()) and p.cpu_percent(interval=0.3) > 50:
            return
        time.sleep(0.1)
    pytest.fail("the query did not start")


def test_timeout_stops_a_runaway_query(seeds_ttl):
    run_query(seeds_ttl, "ASK {}")                       # the store is cached: the time is the query's
    started = time.monotonic()
    proc = _start_runaway(seeds_ttl, "--timeout", "2")
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1
    assert err.decode().strip().splitlines() == ["kg: error: the query ran past --timeout 2 s and was stopped"]
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("sig,code,says", [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")])
def test_ctrl_c_and_sigterm_stop_a_running_query(seeds_ttl, sig, code, says):
    """A runaway query ran inside Oxigraph, where Python never saw Ctrl-C or SIGTERM."""
    proc = _start_runaway(seeds_ttl)
    try:
        _wait_busy(proc)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == code
    assert err.decode().strip().splitlines() == [f"kg: error: the query was {'interrupted' if code == 130 else 'stopped'} ({says})"]


def test_timeout_must_be_positive(small):
    r = CliRunner().invoke(app, ["query", str(small), "ASK {}", "--timeout", "0"])
    assert r.exit_code == 2 and "--timeout" in r.stderr


def test_a_query_within_its_timeout_gives_its_rows(small):
    r = CliRunner().invoke(app, ["query", str(small), "honours", "--param", "name=甲一", "-f", "csv", "--timeout", "30"])
    assert r.exit_code == 0 and r.stdout.splitlines()[1] == "甲一,Person,全国某奖,2024"
