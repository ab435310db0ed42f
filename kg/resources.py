"""Every file the package ships, found one way (``importlib.resources``).

The ontology and the SHACL shapes live in the top-level ``ontology/`` folder of
the source tree (the product's layout); ``kg/ontology`` is a symbolic link to
it, so the wheel carries the real files and an editable checkout reads the
same ones. Nothing here depends on the working directory.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def _root() -> Path:
    return Path(str(resources.files("kg")))


def ontology_file(name: str = "kg.ttl") -> Path:
    """``kg.ttl`` (the OWL ontology) or ``shapes.ttl`` (the SHACL shapes)."""
    return _root() / "ontology" / name


def query_dir() -> Path:
    return _root() / "queries"


def pipeline_dir() -> Path:
    return _root() / "pipeline"


def lexicon_dir() -> Path:
    return pipeline_dir() / "lexicons"


def pattern_dir() -> Path:
    return pipeline_dir() / "patterns"


def asset_dir() -> Path:
    return _root() / "render_assets"


def seeds_dir() -> Path:
    """The sample articles shipped with the package (``kg bench`` builds from them)."""
    return _root() / "seeds"
