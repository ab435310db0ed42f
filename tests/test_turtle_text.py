"""kg.serialize.TurtleText.triple_blocks lays triples out in Python: its text must be Oxigraph's."""
from __future__ import annotations

import pytest

from kg.rdf import TURTLE_PREFIXES, V, _int, _zh, literal
from kg.serialize import TurtleText

K = "https://w3id.org/cn-union-kg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def oxigraph(writer: TurtleText, triples: list[tuple]) -> str:
    return writer.blocks("".join(f"{s} {p} {o} .\n" for s, p, o in triples))


def test_layout_is_oxigraphs_for_repeated_and_returning_subjects_and_predicates():
    s, t = "<urn:x:张三>", "<https://example.org/id/place/某某市>"
    triples = [(s, f"<{K}a>", "<urn:o1>"), (s, f"<{K}a>", "<urn:o2>"), (s, f"<{K}b>", '"x"'),
               (s, f"<{K}a>", "<urn:o3>"), (t, V.rdf_type, V.kg_Place), (t, V.rdfs_label, _zh("某某市")),
               (s, f"<{K}a>", "<urn:o1>"), (t, "<urn:p>", t)]
    writer = TurtleText(TURTLE_PREFIXES)
    text = writer.triple_blocks(triples)
    assert text == oxigraph(writer, triples)
    assert " , " in text and " ;\n\t" in text and " a kg:Place" in text
    assert writer.triple_blocks([]) == ""


@pytest.mark.parametrize("obj", [
    _int(0), _int(-12), _int(2024), '"007"^^<%sinteger>' % XSD, '"+7"^^<%sinteger>' % XSD,
    '"0.95"^^<%sdecimal>' % XSD, '".5"^^<%sdecimal>' % XSD, '"1"^^<%sdecimal>' % XSD,
    '"1E+1"^^<%sdecimal>' % XSD, '"1.5"^^<%sdouble>' % XSD, '"true"^^<%sboolean>' % XSD,
    '"x"^^<%sstring>' % XSD, '"2024-01-02"^^<%sdate>' % XSD, '"x"@ZH-Hant', '"x"@en',
    literal('某"某\\公\n司\r'), literal("tab\there"), '"\\u0041\\t"', _zh("a\x01b\x7fc\x85d\u2028e\ufffdf"),
    f"<{K}Person>", f"<{K}>", f"<{K}a-b_c.d>", f"<{K}x.>", "<http://www.w3.org/2002/07/owl#sameAs>",
    f"<{XSD}integer>", "<urn:x:\\u0041>", "<https://example.org/id/person/张三>",
])
def test_every_kind_of_term_is_written_as_oxigraph_writes_it(obj):
    writer = TurtleText(TURTLE_PREFIXES)
    for triples in ([("<urn:s>", f"<{K}p>", obj)], [(obj, f"<{K}p>", "<urn:o>")] if obj[0] == "<" else []):
        assert writer.triple_blocks(triples) == oxigraph(writer, triples)
        assert writer.triple_blocks(triples) == oxigraph(writer, triples)  # and once remembered


def test_every_character_in_a_literal_is_written_as_oxigraph_writes_it():
    writer = TurtleText(TURTLE_PREFIXES)
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    triples = []
    for i in range(0, len(chars), 512):
        text = "".join(chars[i:i + 512])
        triples.append(("<urn:s>", f"<{K}p>", literal(text)))
        triples.append(("<urn:s>", f"<{K}q>", literal(text, lang="zh")))
    assert writer.triple_blocks(triples) == oxigraph(writer, triples)


def test_a_blank_node_leaves_the_whole_run_to_oxigraph():
    writer = TurtleText(TURTLE_PREFIXES)
    triples = [("<urn:s>", f"<{K}p>", "_:b0"), ("_:b0", f"<{K}q>", _zh("某某"))]
    assert writer.triple_blocks(triples) == oxigraph(writer, triples)


def test_predicates_are_abbreviated_as_oxigraph_does():
    writer = TurtleText(TURTLE_PREFIXES)
    triples = [("<urn:s>", p, "<urn:o>") for p in (V.rdf_type, V.kg_mentionOf, V.owl_sameAs, "<urn:p>",
                                                    f"<{K}a.b>", f"<{K}>")]
    assert writer.triple_blocks(triples) == oxigraph(writer, triples)


def test_every_character_in_an_entity_iri_is_written_as_oxigraph_writes_it():
    from kg.rdf import mint_iri

    writer = TurtleText(TURTLE_PREFIXES)
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    triples = [(mint_iri("https://example.org/id/", "person", "".join(chars[i:i + 512])), f"<{K}p>",
                mint_iri("https://example.org/id/", "place", "".join(chars[i + 256:i + 768])))
               for i in range(0, len(chars), 512)]
    assert writer.triple_blocks(triples) == oxigraph(writer, triples)
