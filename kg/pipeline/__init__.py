"""The extraction pipeline: a blank Chinese spaCy pipeline of rule components.

``make_nlp()`` builds it from ``config.cfg`` beside this file, so the whole
pipeline is visible in one place (``nlp.pipe_names``). Segmentation is
spaCy's character segmenter: every character boundary is a token boundary,
so no rule can lose a name to a segmentation error, and nothing needs a
model download.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

CONFIG_PATH = Path(__file__).parent / "config.cfg"
RULES_VERSION_FILES = ("config.cfg", "normalization.json", "patterns", "lexicons")


def make_nlp(home_province: str | None = None) -> "Language":
    """The pipeline of ``config.cfg``. spaCy is imported here, not at package import, so
    tools that only read graphs (kg query, kg serve) start fast."""
    import spacy
    from thinc.api import Config

    from kg.pipeline import entities, mentions, normalize, relations, sentences  # noqa: F401  (factories)

    config = Config().from_disk(CONFIG_PATH)
    if home_province:
        config["components"]["kg_mention_resolver"]["home_province"] = home_province
    nlp = spacy.blank("zh", config=config)
    if getattr(nlp.tokenizer, "segmenter", None) == "char":
        from kg.pipeline.chars import CharTokenizer

        nlp.tokenizer = CharTokenizer(nlp.tokenizer)
    return nlp


@lru_cache(maxsize=4)
def shared_nlp(home_province: str = "江西") -> "Language":
    """One pipeline per process and province (building it takes about a second)."""
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
