"""spaCy's character segmentation, in one pass.

``spacy.lang.zh.ChineseTokenizer`` with ``segmenter = "char"`` splits the
text into characters and then realigns them with the text through
``spacy.util.get_words_and_spaces``, which slices the rest of the text once
per character: quadratic in the length of an article, and a sixth of
extraction time on news-length texts. :func:`words_and_spaces` makes the
same words and spaces in one pass; :class:`CharTokenizer` wraps the
configured tokenizer (so the pipeline's config still says what it is) and
keeps the text it was given, so the normaliser need not rebuild it from
the tokens.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

_NON_SPACE = re.compile(r"\S")  # exactly the characters for which str.isspace() is False

if not Doc.has_extension("kg_raw_text"):
    Doc.set_extension("kg_raw_text", default=None)


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """What ``get_words_and_spaces(list(text), text)`` returns: every non-space
    character a word, one following U+0020 its trailing space, any other run
    of white space a word of its own."""
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


class CharTokenizer:
    """The configured character tokenizer, made fast; everything else is delegated to it."""

    def __init__(self, tokenizer):
        self._tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc._.kg_raw_text = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):
        return getattr(self._tokenizer, name)
