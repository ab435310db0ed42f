"""Read stage: bytes on disk -> decoded, newline-normalised document text.

Chinese archives hold UTF-8 (with or without BOM), UTF-16 and GB18030/GBK
files side by side, so the encoding is detected per file, never assumed.
Every problem is a :class:`DocumentError` naming the file, so one bad file
among good ones is reported and skipped instead of ending the build.
"""
from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

TEXT_SUFFIXES = (".txt", ".md", ".text")
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b",
                 b"\x7fELF", b"BZh", b"7z\xbc\xaf")
_CONTROL_OK = {"\n", "\t", "\r", "\f"}


class DocumentError(Exception):
    """A source file that cannot be read as a text article."""

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True)
class SourceDocument:
    """One article: its text after decoding and newline normalisation.

    ``text`` is the text every character offset in the graph refers to.
    """

    name: str
    text: str
    sha256: str
    encoding: str

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]

    @property
    def title(self) -> str:
        """The headline: the first non-empty line, without Markdown marks."""
        for line in self.text.split("\n"):
            line = line.strip().lstrip("#").strip()
            if line:
                return line
        return self.name


def decode(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode a text file's bytes, returning ``(text, encoding)``.

    UTF-8 is tried first; a file that is not UTF-8 is read as GB18030 (a
    superset of GBK and GB2312) only if it is not merely UTF-8 with a few
    corrupt bytes, which is reported instead of turned into mojibake.
    """
    if not data.strip():
        raise DocumentError(path, "empty file (no text)")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path, "utf-16"), "utf-16"
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise DocumentError(path, "binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    if _mostly_utf8(data):
        raise DocumentError(path, f"invalid UTF-8: byte 0x{data[utf8_error.start]:02x} at offset "
                                  f"{utf8_error.start} ({utf8_error.reason})")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as err:
        raise DocumentError(path, f"invalid bytes: neither UTF-8 (offset {utf8_error.start}) nor "
                                  f"GB18030 (offset {err.start})") from None
    if not _looks_like_text(text):
        raise DocumentError(path, "binary file, not text")
    return text, "gb18030"


def _strict(data: bytes, encoding: str, path: Path | str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise DocumentError(path, f"invalid {label}: byte 0x{data[err.start]:02x} at offset "
                                  f"{err.start} ({err.reason})") from None


def _mostly_utf8(data: bytes) -> bool:
    """True if the bytes are UTF-8 text with only sparse corrupt bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good > 0 and bad * 2 <= good


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _CONTROL_OK)
    return control * 100 <= len(text)


def read_document(path: Path | str) -> SourceDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(path, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a directory, not a text file") from None
    except OSError as err:
        raise DocumentError(path, f"cannot read: {err.strerror}") from None
    text, encoding = decode(data, path)
    if not text.strip():
        raise DocumentError(path, "empty file (only white space)")
    return SourceDocument(name=path.name, text=text, sha256=hashlib.sha256(data).hexdigest(),
                          encoding=encoding)


def list_sources(root: Path | str) -> list[Path]:
    """The text files to build from: a file itself, or a folder's files in name order.

    Raises :class:`DocumentError` for a missing path or a folder with no text files.
    """
    root = Path(root)
    if not root.exists():
        raise DocumentError(root, "no such file or directory")
    if root.is_file():
        return [root]
    files = sorted((p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(root).parts)),
                   key=lambda p: p.relative_to(root).as_posix())
    if not files:
        raise DocumentError(root, f"no text files ({', '.join(TEXT_SUFFIXES)}) in this folder")
    return files


def iter_documents(paths: list[Path]) -> Iterator[SourceDocument | DocumentError]:
    """Each path read, or the error that stops it: the caller decides what to do."""
    for path in paths:
        try:
            yield read_document(path)
        except DocumentError as err:
            yield err


def normalised_text(doc: SourceDocument | Path | str) -> str:
    """The text every offset and quote in the graph refers to: the document as decoded
    from its file (the pipeline's own normalised copy is mapped back to it)."""
    if not isinstance(doc, SourceDocument):
        doc = read_document(doc)
    return doc.text
