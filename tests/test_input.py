"""Input of any size and shape: long documents, Big5, links out of the folder, unreadable
folders, same names in different folders, control characters."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF

from kg.extract import PIECE_CHARS, pieces
from kg.namespaces import KG
from kg.read import DocumentError, decode, list_sources, read_document
from tests.conftest import SEEDS

KG_CMD = [sys.executable, "-m", "kg.cli"]
NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
TRADITIONAL = "某某市總工會舉辦職工技能競賽。\n張三獲得一等獎，李四擔任評委。\n"


# ------------------------------------------------------------------ long documents


def _mentions(g: rdflib.Graph, doc) -> set[tuple[int, int, str]]:
    out = set()
    for m in g.subjects(RDF.type, KG.Mention):
        if str(m).startswith(str(doc) + "/"):
            out.add((int(g.value(m, KG.startOffset)), int(g.value(m, KG.endOffset)), str(g.value(m, KG.surfaceForm))))
    return out


def _sentences(g: rdflib.Graph, doc) -> set[tuple[int, int, str]]:
    return {(int(g.value(s, KG.startOffset)), int(g.value(s, KG.endOffset)), str(g.value(s, KG.text)))
            for s in g.subjects(KG.inDocument, doc)}


def _shifted(items: set, by: int) -> set:
    return {(a + by, b + by, t) for a, b, t in items}


def test_a_2_000_000_character_file_among_good_ones_is_built_with_exact_offsets(tmp_path):
    """spaCy takes at most 1,000,000 characters (E088). The long file holds one article at its
    start, one just past 1,000,000 and one at its end, with lines of full-width spaces between:
    each copy must give exactly the mentions and sentences the article gives alone, moved by
    where it stands. (The article is written on one line, so that no piece is cut inside it.)"""
    article = (SEEDS / NAMES[2]).read_text(encoding="utf-8").strip().replace("\n", "\u3000")
    line = "\u3000" * 39 + "\n"
    size = 2_000_000
    head = article + "\n" + line * ((1_000_000 - len(article)) // len(line) + 1)
    middle = len(head)
    body = head + article + "\n"
    end = size - len(article)
    lines, rest = divmod(end - len(body), len(line))
    text = body + line * lines + "\u3000" * rest + article
    assert len(text) == size and 1_000_000 < middle < 1_000_100 and text[end:] == article
    cuts = pieces(text, PIECE_CHARS)
    starts = [a for a, _ in cuts]
    assert len(cuts) >= 20 and all(b - a <= PIECE_CHARS for a, b in cuts) and cuts[-1][1] == size
    assert not any(0 < s < len(article) or middle < s < middle + len(article) or end < s for s in starts)
    src = tmp_path / "src"
    src.mkdir()
    for name in NAMES[:2]:
        shutil.copy(SEEDS / name, src / name)
    (src / "article.txt").write_text(article, encoding="utf-8")
    (src / "long.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(KG_CMD + ["build", str(src), "--out", str(out), "-q", "--jobs", "2", "--no-html"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert sorted(stats["per_document"]) == sorted([*NAMES[:2], "article.txt", "long.txt"])
    g = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    docs = {str(g.value(d, KG.fileName)): d for d in g.subjects(RDF.type, KG.SourceDocument)}
    alone_m, alone_s = _mentions(g, docs["article.txt"]), _sentences(g, docs["article.txt"])
    long_m, long_s = _mentions(g, docs["long.txt"]), _sentences(g, docs["long.txt"])
    assert len(alone_m) > 20
    assert long_m == alone_m | _shifted(alone_m, middle) | _shifted(alone_m, end)
    assert long_s == alone_s | _shifted(alone_s, middle) | _shifted(alone_s, end)
    assert all(text[a:b] == t for a, b, t in long_s), "sentences are quoted verbatim from the file"


def test_pieces_are_cut_after_a_line_then_a_sentence_then_at_the_limit():
    assert pieces("abc", 10) == [(0, 3)]
    text = "一二三四五六。七八\n九十一二三四五六七八"
    assert pieces(text, 12) == [(0, 10), (10, 20)]          # after the line break
    assert pieces(text.replace("\n", "，"), 12) == [(0, 7), (7, 19), (19, 20)]  # after 。, then at the limit
    crlf = "a" * 9 + "\r\n" + "b" * 20
    cuts = pieces(crlf, 10)
    assert cuts[0] == (0, 9) and all(crlf[b - 1:b + 1] != "\r\n" for _, b in cuts)
    combining = "e\u0301" * 20
    assert all(not unicodedata_combining(combining[a]) for a, _ in pieces(combining, 7))


def unicodedata_combining(ch: str) -> bool:
    import unicodedata

    return bool(unicodedata.combining(ch))


# ------------------------------------------------------------------ encodings


def test_big5_is_read_as_big5(tmp_path):
    p = tmp_path / "big5.txt"
    p.write_bytes(TRADITIONAL.encode("big5"))
    doc = read_document(p)
    assert doc.text == TRADITIONAL and doc.encoding == "big5"


def test_gb18030_with_traditional_characters_stays_gb18030(tmp_path):
    p = tmp_path / "gb-trad.txt"
    p.write_bytes(TRADITIONAL.encode("gb18030"))
    assert read_document(p).encoding == "gb18030" and read_document(p).text == TRADITIONAL


def test_simplified_seeds_in_gb18030_are_never_taken_for_big5(tmp_path):
    for name in NAMES:
        text = (SEEDS / name).read_text(encoding="utf-8")
        assert decode(text.encode("gb18030")) == (text, "gb18030"), name


def test_bytes_that_could_be_either_are_reported_not_guessed(tmp_path):
    """GB2312 characters with one in ten from the GBK area that is valid Big5 too."""
    rare = [bytes([lead, trail]) for lead in range(0xB0, 0xC6) for trail in range(0x41, 0x7F)]
    rare = [b for b in rare if _decodes(b, "gb18030") and _decodes(b, "big5")]
    common = "工会召开会议职工代表发言".encode("gb2312")
    data = b"".join(common[i:i + 2] + (rare[i] if i % 16 == 0 else b"") for i in range(0, len(common), 2)) * 20
    p = tmp_path / "either.txt"
    p.write_bytes(data)
    with pytest.raises(DocumentError, match=r"either\.txt: cannot tell GB18030 from Big5"):
        read_document(p)


def _decodes(b: bytes, encoding: str) -> bool:
    try:
        b.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


# ------------------------------------------------------------------ folders


def test_links_out_of_the_folder_are_not_followed_and_said(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("某某公司召开职工大会。", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("张三的密码。", encoding="utf-8")
    os.symlink(outside / "secret.txt", src / "leak.txt")
    os.symlink("/etc/passwd", src / "passwd.txt")
    os.symlink(outside, src / "elsewhere")
    os.symlink("../a.txt", src / "sub" / "inside.txt")   # a link within the folder is read
    sources = list_sources(src)
    assert [sources.name(p) for p in sources] == ["a.txt", "sub/inside.txt"]
    problems = {p.path.name: p.problem for p in sources.problems}
    assert set(problems) == {"leak.txt", "passwd.txt", "elsewhere"}
    assert problems["passwd.txt"] == f"symbolic link to /etc/passwd, outside {src}: not followed"


def test_build_reports_a_link_out_of_the_folder(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS / NAMES[0], src / NAMES[0])
    os.symlink("/etc/passwd", src / "passwd.txt")
    out = tmp_path / "out"
    proc = subprocess.run(KG_CMD + ["build", str(src), "--out", str(out), "-q", "--no-html"],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stderr.strip().splitlines() == [
        f"kg: skipped {src / 'passwd.txt'}: symbolic link to /etc/passwd, outside {src}: not followed"]
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert list(stats["per_document"]) == [NAMES[0]] and len(stats["skipped"]) == 1
    assert "root:" not in (out / "graph.ttl").read_text(encoding="utf-8")


def test_an_unreadable_subfolder_is_reported():
    """Root reads every folder, so as root the listing runs in a forked child that has become
    nobody (uid 65534)."""
    base = Path(tempfile.mkdtemp(prefix="kg-unreadable-"))
    try:
        os.chmod(base, 0o755)
        (base / "ok").mkdir()
        (base / "ok" / "a.txt").write_text("某某公司召开职工大会。", encoding="utf-8")
        (base / "closed").mkdir()
        (base / "closed" / "b.txt").write_text("某某公司召开职工大会。", encoding="utf-8")
        os.chmod(base / "closed", 0)
        names, problems = _as_nobody(lambda: _listing(base))
        assert names == ["ok/a.txt"]
        assert problems == [f"{base / 'closed'}: cannot read this folder (Permission denied): its files are not built"]
    finally:
        os.chmod(base / "closed", stat.S_IRWXU)
        shutil.rmtree(base)


def _listing(folder: Path):
    s = list_sources(folder)
    return [s.name(p) for p in s], [str(e) for e in s.problems]


def _as_nobody(job):
    """``job()`` in a forked child without root's rights (as this user when not root)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            os.write(write, json.dumps(job()).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def test_documents_are_named_by_their_path_in_the_folder(tmp_path):
    src = tmp_path / "src"
    for folder, name in (("2023", NAMES[0]), ("2024", NAMES[1])):
        (src / folder).mkdir(parents=True)
        shutil.copy(SEEDS / name, src / folder / "article.txt")
    out = tmp_path / "out"
    assert subprocess.run(KG_CMD + ["build", str(src), "--out", str(out), "-q", "--no-html"]).returncode == 0
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert sorted(stats["per_document"]) == ["2023/article.txt", "2024/article.txt"]
    g = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    assert sorted(str(o) for o in g.objects(None, KG.fileName)) == ["2023/article.txt", "2024/article.txt"]


# ------------------------------------------------------------------ control characters


def test_control_characters_never_reach_the_graph_and_offsets_still_hold(tmp_path):
    article = (SEEDS / NAMES[2]).read_text(encoding="utf-8")
    nasty = "\n某某公司职工张三\x1b[31m获得全国五一劳动奖章\x00。\x9b2J\x07\n"
    src = tmp_path / "src"
    src.mkdir()
    (src / "nasty.txt").write_text(article + nasty, encoding="utf-8")
    (src / "esc\x1b[0m.txt").write_text(article.replace("。", "。\x08", 1), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(KG_CMD + ["build", str(src), "--out", str(out), "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for name in ("graph.ttl", "graph.html"):
        data = (out / name).read_bytes()
        assert not any(ch in data for ch in (b"\x1b", b"\x00", b"\x07", b"\x08", "\x9b".encode())), name
        assert b"\\u001B" not in data.upper() and b"\\u0000" not in data
    g = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    texts = [(int(g.value(s, KG.startOffset)), int(g.value(s, KG.endOffset)), str(g.value(s, KG.text)))
             for s in g.subjects(RDF.type, KG.Sentence)]
    assert all(b - a == len(t) for a, b, t in texts)
    assert any("张三\ufffd[31m获得" in t for _, _, t in texts)
    assert "esc\ufffd[0m.txt" in {str(o) for o in g.objects(None, KG.fileName)}


def test_query_tables_show_control_characters_escaped(tmp_path):
    nt = tmp_path / "g.nt"
    nt.write_text('<http://example.org/a> <http://example.org/p> "red\\u001B[31m bell\\u0007 csi\\u009B end" .\n',
                  encoding="utf-8")
    proc = subprocess.run(KG_CMD + ["query", str(nt), "SELECT ?o WHERE { ?s ?p ?o }"], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert b"\x1b" not in proc.stdout and b"\x07" not in proc.stdout and "\x9b".encode() not in proc.stdout
    assert "red\\x1b[31m bell\\x07 csi\\x9b end" in proc.stdout.decode("utf-8")
