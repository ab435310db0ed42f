"""Namespaces, declared once.

``KG`` is the ontology (classes and properties, see ``ontology/kg.ttl``); it is a
``DefinedNamespace`` so a misspelt term fails at import time instead of
silently minting a new IRI. Instance IRIs live under a configurable base
(:mod:`kg.settings`), not here.

Importing this module does not import rdflib: ``KG`` is made on first use,
so commands that never build a term (``kg query``, ``kg --help``) do not pay
for rdflib. :data:`PREFIX_IRIS` is the one prefix table, as plain strings.
"""
from __future__ import annotations

ONTOLOGY_IRI = "https://w3id.org/cn-union-kg/ontology"
DEFAULT_BASE_IRI = "https://w3id.org/cn-union-kg/id/"
#: the prefixes every graph of ours binds (besides ``id:`` for the instance base)
PREFIX_IRIS = {
    "kg": ONTOLOGY_IRI + "#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def __getattr__(name: str):
    if name == "KG":
        globals()["KG"] = kg = _make_kg()
        return kg
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _make_kg():
    from rdflib import Namespace, URIRef
    from rdflib.namespace import DefinedNamespace

    class KG(DefinedNamespace):
        """Terms of the cn-union-kg ontology (local names fixed by extraction-spec.md)."""

        _NS = Namespace(ONTOLOGY_IRI + "#")
        _fail = True

        # core entity classes
        Person: URIRef
        Organization: URIRef
        Enterprise: URIRef
        TradeUnion: URIRef
        GovernmentBody: URIRef
        Institution: URIRef
        Place: URIRef
        Award: URIRef
        Competition: URIRef
        # extended entity classes
        Studio: URIRef
        Event: URIRef
        Program: URIRef
        Document: URIRef
        # evidence and qualified-relation classes
        SourceDocument: URIRef
        Sentence: URIRef
        Mention: URIRef
        AwardReceipt: URIRef

        # core relations
        worksFor: URIRef
        receivedAward: URIRef
        participatedIn: URIRef
        locatedIn: URIRef
        heldIn: URIRef
        organizedBy: URIRef
        subOrganizationOf: URIRef
        # extended relations
        leads: URIRef
        partOf: URIRef
        jobTitle: URIRef

        # evidence
        mentionOf: URIRef       # Mention -> entity it names
        sentence: URIRef        # Mention / rdf:Statement / AwardReceipt -> Sentence
        inDocument: URIRef      # Sentence / Mention -> SourceDocument
        text: URIRef            # Sentence text
        surfaceForm: URIRef     # Mention text as written
        startOffset: URIRef     # char offset in the normalised document text
        endOffset: URIRef
        rule: URIRef            # id of the rule that fired
        confidence: URIRef      # rule confidence in [0, 1]
        fileName: URIRef
        sha256: URIRef
        encoding: URIRef        # encoding the source bytes were decoded from

        # qualified award (AwardReceipt)
        recipient: URIRef
        award: URIRef
        year: URIRef
        conferredBy: URIRef

        # competition data kept out of the name
        edition: URIRef

    return KG
