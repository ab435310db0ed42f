"""OWL 2 DL reasoning over ontology + graph with HermiT, the reasoner Protégé users run.

``kg validate --reasoner hermit`` asks what an OWL 2 DL user would see when
loading the graph with the ontology: is the whole consistent, and is any of
our classes unsatisfiable? The OWL RL check of :mod:`kg.validate` is fast
and explains what it finds, but RL reasons only with the rules of its
profile (for instance, it does not use a union-of-classes domain to find a
place that received an award); HermiT uses the full semantics.

HermiT comes with owlready2 (PyPI, the ``reasoner`` extra), which runs it in
Java (Debian: ``default-jre-headless``). The ontology and the graph are
handed over as N-Triples; owlready2 classifies and realises them in one JVM
(about 2 s on the seeds).
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

KG_NS = "https://w3id.org/cn-union-kg/ontology#"


class ReasonerError(Exception):
    """HermiT cannot be run (owlready2 or Java missing) or refused the input."""


@dataclass
class HermitReport:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    @property
    def text(self) -> str:
        if not self.consistent:
            return (f"HermiT (OWL 2 DL): inconsistent — ontology + graph ({self.triples} triples) have no model; "
                    "the SHACL and OWL RL reports say where")
        if self.unsatisfiable:
            return "HermiT (OWL 2 DL): unsatisfiable classes: " + ", ".join(self.unsatisfiable)
        return f"HermiT (OWL 2 DL): consistent, every class satisfiable ({self.triples} triples, {self.seconds:.1f} s)"


def hermit_check(data: Graph, ontology: Graph) -> HermitReport:
    """Run HermiT over the union of ``ontology`` and ``data``."""
    try:
        import owlready2
    except ImportError:
        raise ReasonerError("the HermiT reasoner needs owlready2: pip install 'kg-union-news[reasoner]'") from None
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kg-hermit-") as tmp:
        path = Path(tmp) / "input.nt"
        union = Graph()
        for t in ontology:
            union.add(t)
        for t in data:
            union.add(t)
        union.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return HermitReport(False, triples=len(union), seconds=time.perf_counter() - started)
        except owlready2.OwlReadyJavaError as err:
            raise ReasonerError(f"HermiT refused the input: {_java_reason(str(err))}") from None
        except FileNotFoundError:
            raise ReasonerError("the HermiT reasoner needs Java: apt-get install default-jre-headless") from None
        unsatisfiable = sorted(c.iri[len(KG_NS):] if c.iri.startswith(KG_NS) else c.iri
                               for c in world.inconsistent_classes())
        world.close()
    return HermitReport(True, unsatisfiable, len(union), time.perf_counter() - started)


def _java_reason(message: str) -> str:
    """The exception of a Java stack trace with its message (which may run over lines), not the trace."""
    lines = message.splitlines()
    start = next((i for i, line in enumerate(lines) if "Exception" in line or "Error:" in line), None)
    if start is None:
        return message.strip().splitlines()[-1] if message.strip() else "no message"
    text = []
    for line in lines[start:]:
        if line.lstrip().startswith("at "):
            break
        text.append(line.strip())
    return " ".join(text).replace('Exception in thread "main" ', "")[:500]
