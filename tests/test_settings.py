"""The home province is one setting (API, CLI, environment; default from the pipeline's config.cfg)
that reaches the pipeline and the extraction cache's key."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import kg
from kg.settings import pipeline_home_province

ARTICLE = "省总工会表彰了某某公司职工张三。\n张三在省总工会举办的劳动和技能竞赛中获奖。\n"
KG_CMD = [sys.executable, "-m", "kg.cli"]


def _unions(entities) -> set[str]:
    return {e.name for e in entities.values() if e.label == "TradeUnion"}


@pytest.fixture
def article(corpus):
    return corpus({"a.txt": ARTICLE})


def test_default_is_the_pipelines_config_and_the_api_overrides_it(article, monkeypatch):
    monkeypatch.delenv("KG_HOME_PROVINCE", raising=False)
    home = pipeline_home_province()
    assert kg.Settings().home_province == home
    assert _unions(kg.build_graph(article, kg.Settings(progress=False)).entities) == {f"{home}省总工会"}
    other = kg.build_graph(article, kg.Settings(home_province="湖北", progress=False)).entities
    assert _unions(other) == {"湖北省总工会"}


def test_cli_and_environment_set_it_and_the_cache_keys_by_it(article, tmp_path):
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "KG_HOME_PROVINCE"}

    def build(*args, **extra_env):
        proc = subprocess.run(KG_CMD + ["build", str(article), "--out", str(out), "--no-html", *args],
                              capture_output=True, text=True, env={**env, **extra_env})
        assert proc.returncode == 0, proc.stderr
        return proc.stdout, (out / "graph.ttl").read_text(encoding="utf-8")

    stdout, ttl = build()
    assert "extracted 1 document(s), 0 unchanged" in stdout and f"{pipeline_home_province()}省总工会" in ttl
    stdout, ttl = build("--province", "湖北")
    assert "extracted 1 document(s), 0 unchanged" in stdout, "another province is another cache entry"
    assert "湖北省总工会" in ttl and f"{pipeline_home_province()}省总工会" not in ttl
    stdout, ttl = build(KG_HOME_PROVINCE="湖南")
    assert "extracted 1 document(s)" in stdout and "湖南省总工会" in ttl
    stdout, _ = build("--province", "湖北")
    assert "extracted 0 document(s), 1 unchanged" in stdout


def test_a_province_the_gazetteer_does_not_know_is_one_error_line(article, tmp_path):
    proc = subprocess.run(KG_CMD + ["build", str(article), "--out", str(tmp_path / "out"), "--province", "某某"],
                          capture_output=True, text=True)
    assert proc.returncode == 2, "a usage error (the CLI's exit status table)"
    assert proc.stderr.strip() == "kg: error: home province '某某' is not a province the gazetteer knows"
    assert not (tmp_path / "out" / "graph.ttl").exists()
