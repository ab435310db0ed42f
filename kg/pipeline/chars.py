"""The tokenizer: one token per character, on the text with its layout unified.

Every character boundary is a token boundary, so no rule can lose a name to
a segmentation error and nothing needs a model. spaCy's own character
segmenter (``spacy.zh.ChineseTokenizer`` with ``segmenter = "char"``)
realigns the characters with the text through
``spacy.util.get_words_and_spaces``, which slices the rest of the text once
per character: quadratic in an article's length and a sixth of extraction
time on news-length texts; :func:`words_and_spaces` makes the same words and
spaces in one pass (measured; a test keeps the two equal).

Before tokenizing, line ends are unified (\\r\\n, \\r → \\n) and characters
composed (NFC); ``doc._.kg_source_offsets`` then maps every character of
``doc.text`` back to the text as given, so evidence offsets and quotes
refer to the document as decoded from its file. Registered as
``kg.CharTokenizer.v1``.
"""
from __future__ import annotations

import re
import unicodedata

import spacy
from spacy.tokens import Doc

_NON_SPACE = re.compile(r"\S")  # exactly the characters for which str.isspace() is False

if not Doc.has_extension("kg_source_text"):
    Doc.set_extension("kg_source_text", default=None)
if not Doc.has_extension("kg_source_offsets"):
    Doc.set_extension("kg_source_offsets", default=None)
if not Doc.has_extension("kg_layout_text"):
    Doc.set_extension("kg_layout_text", default=None)


_SPACE_RUN = re.compile(r"\s+")


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """What ``get_words_and_spaces(list(text), text)`` returns: every non-space
    character a word, one following U+0020 its trailing space, any other run
    of white space a word of its own. Runs of characters between white space are
    split with ``list()``, so the loop is over white space only."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for m in _SPACE_RUN.finditer(text):
        a, b = m.span()
        if a > pos:
            words.extend(text[pos:a])
            spaces.extend([False] * (a - pos))
            run = text[a:b]
            if run[0] == " ":
                spaces[-1] = True
                run = run[1:]
            if run:
                words.append(run)
                spaces.append(False)
        else:
            words.append(text[a:b])
            spaces.append(False)
        pos = b
    if pos < len(text):
        words.extend(text[pos:])
        spaces.extend([False] * (len(text) - pos))
    return words, spaces


def _words_and_spaces_by_character(text: str) -> tuple[list[str], list[bool]]:
    """The one-pass reference :func:`words_and_spaces` is checked against."""
    words: list[str] = []
    spaces: list[bool] = []
    pos, n = 0, len(text)
    for m in _NON_SPACE.finditer(text):
        i = m.start()
        if i > pos:
            words.append(text[pos:i])
            spaces.append(False)
        words.append(m.group())
        if i + 1 < n and text[i + 1] == " ":
            spaces.append(True)
            pos = i + 2
        else:
            spaces.append(False)
            pos = i + 1
    if pos < n:
        words.append(text[pos:])
        spaces.append(False)
    return words, spaces


def unify_layout(text: str) -> tuple[str, list[int] | None]:
    """The text with line ends unified and characters composed, and for each of its
    characters the offset in ``text`` where it starts (with one more entry, the
    length of ``text``), or ``None`` when nothing changed."""
    if "\r" not in text and unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    starts: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        ch = text[i]
        if ch == "\r":
            if j < n and text[j] == "\n":
                j += 1
            out.append("\n")
            starts.append(i)
            i = j
            continue
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.extend(piece)
        starts.extend([i] * len(piece))
        i = j
    starts.append(n)
    return "".join(out), starts


class CharTokenizer:
    """One token per character of the layout-unified text."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        unified, starts = unify_layout(text)
        words, spaces = words_and_spaces(unified)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc._.kg_source_text = text
        doc._.kg_source_offsets = starts
        doc._.kg_layout_text = unified  # doc.text, without joining every token again
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def to_bytes(self, *, exclude=()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude=()) -> "CharTokenizer":
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        return None

    def from_disk(self, path, *, exclude=()) -> "CharTokenizer":
        return self


@spacy.registry.tokenizers("kg.CharTokenizer.v1")
def create_char_tokenizer():
    def make(nlp) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make
