"""notebooks/explore.ipynb runs top to bottom in a fresh kernel; a failing cell fails the suite."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_explore_notebook_executes(tmp_path, monkeypatch):
    """Run with this interpreter's ipykernel, whatever kernels the machine has registered."""
    spec = tmp_path / "jupyter" / "kernels" / "kg-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kg test", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="kg-test", allow_errors=False,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<iframe srcdoc=" in html and "钟松梅" in html
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "betweenness centrality, people" in text and "communities among" in text
