"""Read stage: every kind of bad input gets a clear error naming the file."""
from __future__ import annotations

import codecs

import pytest

from kg.read import DocumentError, decode, list_sources, read_document

ARTICLE = "江西省总工会召开会议。\n全国劳动模范钟松梅发言。\n"


def test_utf8(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(ARTICLE.encode("utf-8"))
    doc = read_document(p)
    assert doc.text == ARTICLE and doc.encoding == "utf-8"
    assert len(doc.sha256) == 64 and doc.title == "江西省总工会召开会议。"


def test_utf8_bom_is_stripped(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(codecs.BOM_UTF8 + ARTICLE.encode("utf-8"))
    doc = read_document(p)
    assert doc.text == ARTICLE and doc.encoding == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "gb2312"])
def test_gb_encodings_are_decoded_not_skipped(tmp_path, encoding):
    p = tmp_path / "gb.txt"
    p.write_bytes(ARTICLE.encode(encoding))
    doc = read_document(p)
    assert doc.text == ARTICLE and doc.encoding == "gb18030"


def test_utf16_with_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(ARTICLE.encode("utf-16"))
    assert read_document(p).text == ARTICLE


def test_crlf_text_is_kept_as_written_and_read_as_lf(tmp_path):
    """The document text is what the file holds (evidence offsets refer to it); the pipeline
    reads \r\n as \n, so a Windows file yields the same names and relations as a Unix one."""
    from kg.extract import extract

    crlf, lf = tmp_path / "crlf.txt", tmp_path / "lf.txt"
    crlf.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    lf.write_bytes(ARTICLE.encode("utf-8"))
    doc = read_document(crlf)
    assert doc.text == ARTICLE.replace("\n", "\r\n")
    a, b = extract(doc), extract(read_document(lf))
    assert [(m.label, m.name) for m in a.mentions] == [(m.label, m.name) for m in b.mentions]
    assert [(r.subject.name, r.predicate, r.object.name) for r in a.relations] \
        == [(r.subject.name, r.predicate, r.object.name) for r in b.relations]
    assert a.mentions and all(doc.text[m.start:m.end] == m.text for m in a.mentions)


@pytest.mark.parametrize("content,problem", [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
    (b"%PDF-1.7\n" + b"\x00" * 20, "binary"),
    (b"abc\x00def" * 10, "binary"),
])
def test_empty_and_binary_files(tmp_path, content, problem):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        read_document(p)
    assert problem in str(err.value) and "bad.txt" in str(err.value)


def test_invalid_bytes_in_utf8_are_reported_with_offset(tmp_path):
    data = ARTICLE.encode("utf-8")
    data = data[:9] + b"\xff" + data[9:]
    p = tmp_path / "broken.txt"
    p.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        read_document(p)
    msg = str(err.value)
    assert "broken.txt" in msg and "invalid UTF-8" in msg and "offset 9" in msg


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        list_sources(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(DocumentError, match="no text files"):
        list_sources(tmp_path / "empty")


def test_folder_listing_is_sorted_and_skips_hidden(tmp_path):
    for name in ["b.txt", "a.md", ".hidden.txt", "sub/c.txt", "x.csv"]:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(ARTICLE, encoding="utf-8")
    assert [p.name for p in list_sources(tmp_path)] == ["a.md", "b.txt", "c.txt"]


def test_decode_prefers_utf8_for_ascii():
    assert decode(b"hello") == ("hello", "utf-8")
