"""The extraction pipeline: a Chinese spaCy pipeline of rule components.

``make_nlp()`` builds it from ``config.cfg`` beside this file, so the whole
pipeline is visible in one place (``nlp.pipe_names``), and initializes it,
which loads every component's rules and word lists from the data files. The
components are registered spaCy factories (entry points ``spacy_factories``
and ``spacy_tokenizers``), so a pipeline saved with ``nlp.to_disk(d)`` loads
with ``spacy.load(d)`` without importing kg first.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

CONFIG_PATH = Path(__file__).parent / "config.cfg"
#: the modules that define the pipeline's factories and tokenizer
COMPONENT_MODULES = ("chars", "normalize", "sentences", "places", "organizations", "honours", "entity_rules",
                     "tagger", "mentions", "structure", "relations", "ranks")
RULES_VERSION_FILES = ("config.cfg", "normalization.json", "patterns", "lexicons")


def register() -> None:
    """Import the component modules, which registers their factories with spaCy."""
    import importlib

    for name in COMPONENT_MODULES:
        importlib.import_module(f"kg.pipeline.{name}")


def make_nlp(home_province: str | None = None, data_dir: str | Path | None = None) -> "Language":
    """The pipeline of ``config.cfg``, initialized from the packaged data files (or those in
    ``data_dir``). spaCy is imported here, not at package import, so tools that only read
    graphs (kg query, kg serve) start fast."""
    import spacy
    from thinc.api import Config

    register()
    config = Config().from_disk(CONFIG_PATH)
    if home_province:
        config["components"]["kg_mention_resolver"]["home_province"] = home_province
    if data_dir:
        for name in config["nlp"]["pipeline"]:
            config["initialize"]["components"].setdefault(name, {})["data_dir"] = str(data_dir)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    return nlp


@lru_cache(maxsize=4)
def shared_nlp(home_province: str | None = None) -> "Language":
    """One pipeline per process and province (building it takes about a second); no province
    means the one config.cfg names."""
    return make_nlp(home_province)


def rules_version() -> str:
    """A digest of every rule and word-list file: caches keyed by it expire when rules change."""
    import hashlib

    h = hashlib.sha256()
    base = Path(__file__).parent
    for name in RULES_VERSION_FILES:
        path = base / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file():
                h.update(f.relative_to(base).as_posix().encode())
                h.update(f.read_bytes())
    for f in sorted(base.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]
