"""Shared fixtures: the seeds are built once per test session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
GOLD_DEV = SHARED / "gold-dev"


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """kg.build of seeds/ into a temporary output folder."""
    import kg

    out = tmp_path_factory.mktemp("seeds-output")
    return kg.build(SEEDS, out, kg.Settings(progress=False))


@pytest.fixture(scope="session")
def seeds_ttl(seeds_build) -> Path:
    return seeds_build.outputs["graph.ttl"]


@pytest.fixture(scope="session")
def seeds_exports(seeds_ttl, tmp_path_factory) -> dict:
    """`kg export` of the seeds' graph in every format, as a user runs it (paths by format)."""
    from typer.testing import CliRunner

    from kg import export as ex
    from kg.cli import app

    out = tmp_path_factory.mktemp("exports")
    runner = CliRunner()
    paths = {}
    for fmt in ex.FORMATS:
        target = out / (f"graph-{fmt}" if fmt in ex.FOLDER_EXPORTS else f"graph{ex.EXTENSIONS[fmt]}")
        r = runner.invoke(app, ["export", str(seeds_ttl), "--format", fmt, "--out", str(target)])
        assert r.exit_code == 0, (fmt, r.output)
        paths[fmt] = target
    return paths


@pytest.fixture(scope="session")
def nlp():
    from kg.pipeline import shared_nlp

    return shared_nlp()


@pytest.fixture
def corpus(tmp_path):
    """A folder to put test articles in."""
    def make(files: dict[str, bytes | str]) -> Path:
        for name, content in files.items():
            p = tmp_path / "in" / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return tmp_path / "in"
    return make


def copy_seeds(dst: Path, names=None) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for p in sorted(SEEDS.glob("*.txt")):
        if names is None or p.name in names:
            shutil.copy(p, dst / p.name)
    return dst


def output_files(out: Path) -> dict[str, bytes]:
    """What a reader of a build folder sees: the bytes at each output's usual path, and the cache."""
    from kg.build import OUTPUT_NAMES

    return {name: (out / name).read_bytes() for name in (*OUTPUT_NAMES, ".kg-cache.sqlite")
            if (out / name).is_file()}
