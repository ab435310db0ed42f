"""Rules and word lists as data, and the component base class that carries them.

Every component names the files it reads (``resources``); ``initialize()``
loads them from a data folder (by default the one the package ships,
``kg/pipeline/lexicons`` and ``kg/pipeline/patterns``), ``to_disk()`` writes
them beside the pipeline and ``from_disk()`` reads them back, so
``nlp.to_disk(d)`` then ``spacy.load(d)`` gives the same pipeline, and an
analyst can point ``[initialize.components.*] data_dir`` at an edited copy
without touching Python. Rule files refer to word lists as ``{LEX:name}``.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import srsly

try:  # the regular-expression parser: public names since Python 3.11
    from re import _constants as _sre_constants, _parser as _sre_parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants, sre_parse as _sre_parser

_sre_parse = _sre_parser.parse

DATA_DIR = Path(__file__).parent


def words(text: str) -> tuple[str, ...]:
    """A ``.txt`` word list: whitespace-separated words, ``#`` starts a comment line."""
    out: list[str] = []
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            out.extend(line.split())
    return tuple(dict.fromkeys(out))


def rows(text: str) -> list[list[str]]:
    """A ``.tsv`` table: tab-separated fields, ``#`` starts a comment line."""
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def jsonl(text: str, source: str = "<rules>") -> list[dict]:
    """A ``.jsonl`` rule file: one JSON object per line, ``//`` starts a comment line."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("//"):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{source}:{n}: not a JSON object: {err}") from None
    return out


def alternation(items: Iterable[str]) -> str:
    """A regex matching any of the literal words, longest first (so 欧阳 beats 欧).

    Written as a trie (``(?:次(?:仁|旺)|扎西)``), which matches the same strings in the same
    preference order as the plain longest-first alternation but lets the engine test one
    character at a branch instead of hundreds of words at every position (measured: the
    person rules with word lists run several times faster)."""
    words = sorted(set(w for w in items if w))
    if not words:
        return "(?!)"
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _trie_regex(trie) + ")"


def _trie_regex(node: dict) -> str:
    """One node's branches. They start with different characters, so their order does not
    matter: the words that end at their first character become one character class, and a
    node of many branches is guarded by a class of its first characters, which the engine
    tests in one step where it would otherwise try every branch in turn (measured: the
    surname scan of the name tagger 12 times faster)."""
    firsts = sorted(k for k in node if k)
    ends = [ch for ch in firsts if not any(node[ch])]
    branches = [re.escape(ch) + _trie_tail(node[ch]) for ch in firsts if any(node[ch])]
    if len(ends) > 1:
        branches.append(char_class("".join(ends)))
    elif ends:
        branches.append(re.escape(ends[0]))
    if len(firsts) > 4:
        return f"(?={char_class(''.join(firsts))})(?:" + "|".join(branches) + ")"
    return "|".join(branches)


def _trie_tail(node: dict) -> str:
    ends_here = "" in node
    rest = {k: v for k, v in node.items() if k}
    if not rest:
        return ""
    inner = _trie_regex(rest)
    if len(rest) == 1 and not ends_here and "|" not in inner:
        return inner
    return "(?:" + inner + ")" + ("?" if ends_here else "")


def find_words(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``re.finditer(alternation(words), text)`` matches, without building a regex: the
    leftmost, then longest, occurrences that do not overlap. For the few words of one document
    (the names it confirmed, the short forms it declared) compiling their regex cost more than
    the search (measured: 4% of extraction), so each word is found with ``str.find``."""
    longest_at: dict[int, int] = {}
    for w in set(words):
        if not w:
            continue
        i = text.find(w)
        while i >= 0:
            if len(w) > longest_at.get(i, 0):
                longest_at[i] = len(w)
            i = text.find(w, i + 1)
    out = []
    end = 0
    for i in sorted(longest_at):
        if i >= end:
            end = i + longest_at[i]
            out.append((i, end))
    return out


def required_characters(pattern: re.Pattern, most: int = 64, weak: str = "") -> re.Pattern | None:
    """A character class one of whose characters every text ``pattern`` matches in holds
    (the match, or what a lookaround demands beside it), or None where the pattern demands
    none of at most ``most`` characters. Read off the parsed pattern: a sequence demands
    what its most selective part demands, alternatives what any of them does, a repeat
    what its body does if it must occur. A text without them cannot match, so a rule is
    skipped with one scan where its regex would try every position (most entity regexes
    open with a lookbehind or an alternation, which the engine cannot scan for). Characters
    in ``weak`` are in most texts the pattern is tried on (a slot's brackets): a demand of
    them alone is taken only where the pattern demands nothing else."""
    if pattern.flags & re.IGNORECASE:
        return None
    found = _required(_sre_parse(pattern.pattern, pattern.flags), most, frozenset(weak))
    return re.compile(char_class("".join(sorted(found)))) if found else None


def _required(items, most: int, weak: frozenset[str] = frozenset()) -> frozenset[str] | None:
    best = None
    for op, av in items:
        need = _required_item(op, av, most, weak)
        if need is not None and (best is None or (need <= weak, len(need)) < (best <= weak, len(best))):
            best = need
    return best


def _required_item(op, av, most: int, weak: frozenset[str]) -> frozenset[str] | None:
    c = _sre_constants
    if op is c.LITERAL:
        return frozenset(chr(av))
    if op is c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < most:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:
                return None
        return frozenset(chars) if len(chars) <= most else None
    if op is c.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _required(av[3], most, weak)
    if op is c.ASSERT:
        return _required(av[1], most, weak)
    if op is getattr(c, "ATOMIC_GROUP", c.ASSERT):
        return _required(av, most, weak)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
        return _required(av[2], most, weak) if av[0] >= 1 else None
    if op is c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            need = _required(branch, most, weak)
            if need is None:
                return None
            union |= need
        return frozenset(union) if len(union) <= most else None
    return None


def char_class(chars: str) -> str:
    return "[" + re.escape(chars) + "]"


class Resources:
    """The raw text of a component's data files, parsed on demand by kind."""

    def __init__(self, texts: dict[str, str]):
        self.texts = dict(texts)

    @classmethod
    def read(cls, names: Iterable[str], data_dir: Path | str | None = None) -> "Resources":
        base = Path(data_dir) if data_dir else DATA_DIR
        texts = {}
        for name in names:
            path = base / name
            try:
                texts[name] = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise ValueError(f"{path}: data file not found") from None
        return cls(texts)

    def words(self, name: str) -> tuple[str, ...]:
        return words(self.texts[f"lexicons/{name}.txt"])

    def table(self, name: str) -> dict:
        path = f"lexicons/{name}.json"
        try:
            return json.loads(self.texts[path])
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: not JSON: {err}") from None

    def rows(self, name: str) -> list[list[str]]:
        return rows(self.texts[f"lexicons/{name}.tsv"])

    def rules(self, name: str) -> list[dict]:
        path = f"patterns/{name}.jsonl"
        return jsonl(self.texts[path], path)

    def lexicon(self, name: str) -> tuple[str, ...]:
        """A word list named in a rule (``{LEX:name}``): a .txt list, or a JSON list."""
        if f"lexicons/{name}.txt" in self.texts:
            return self.words(name)
        raise KeyError(f"unknown word list {{LEX:{name}}}: not among this component's resources")


class DataComponent:
    """A rule component whose behaviour is all in its data files.

    Subclasses list ``resources`` and implement ``setup(resources)``, which
    compiles them; per-document state never lives on the component.
    """

    resources: tuple[str, ...] = ()

    def __init__(self, nlp=None, name: str = ""):
        self.name = name
        self.data: Resources | None = None

    def initialize(self, get_examples: Callable | None = None, *, nlp=None, data_dir: str | None = None) -> None:
        self._load(Resources.read(self.resources, data_dir))

    def _load(self, data: Resources) -> None:
        self.data = data
        self.setup(data)

    def setup(self, data: Resources) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, doc):
        if self.data is None:
            raise ValueError(f"pipeline component {self.name!r} is not initialized: call nlp.initialize() "
                             "or load a saved pipeline")
        return self.process(doc)

    def process(self, doc):  # pragma: no cover - abstract
        raise NotImplementedError

    def to_bytes(self, *, exclude=()) -> bytes:
        return srsly.msgpack_dumps(self.data.texts if self.data else {})

    def from_bytes(self, data: bytes, *, exclude=()) -> "DataComponent":
        self._load(Resources(srsly.msgpack_loads(data)))
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        for name, text in (self.data.texts if self.data else {}).items():
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> "DataComponent":
        self._load(Resources.read(self.resources, path))
        return self


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Two- and three-character words of jieba's dictionary that are not person names.

    jieba ships a 349k-word dictionary with part-of-speech tags (MIT licence,
    no download); we read it as data, not to segment: a context rule's
    candidate name that is an ordinary word (信仰, 支持, 成长) is no name.
    """
    return frozenset(word for word, (_, tag) in dictionary_entries().items()
                     if 2 <= len(word) <= 3 and not tag.startswith("nr"))


#: a dictionary word written fewer times than this may be a person's name all the same (高志勇, 高建国)
RARE_WORD = 20


def rare_word(word: str) -> bool:
    """Written fewer than RARE_WORD times in jieba's dictionary (or not in it at all)."""
    return dictionary_entries().get(word, (0,))[0] < RARE_WORD


@lru_cache(maxsize=1)
def dictionary_entries() -> dict[str, tuple[int, str]]:
    """Every word of jieba's dictionary with its frequency and part-of-speech tag (v: verb, ns: place …)."""
    import importlib.util

    path = Path(importlib.util.find_spec("jieba").origin).parent / "dict.txt"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) == 3:
            out[parts[0]] = (int(parts[1]), parts[2])
    return out


@lru_cache(maxsize=4)
def words_tagged_as_names(least: int) -> frozenset[str]:
    """Two-character words jieba's dictionary tags as names (nr) and counts at least ``least``
    times: 荣誉, 智慧, 关怀 start with a surname's character but are ordinary words."""
    return frozenset(w for w, (freq, tag) in dictionary_entries().items() if tag == "nr" and len(w) == 2 and freq >= least)


@lru_cache(maxsize=1)
def dictionary_tags() -> dict[str, str]:
    """Every word of jieba's dictionary with its part-of-speech tag."""
    return {w: tag for w, (_, tag) in dictionary_entries().items()}


def expand(pattern: str, macros: dict[str, str], lexicon: Callable[[str], Iterable[str]]) -> str:
    """A rule's pattern with its ``{MACRO}`` and ``{LEX:list}`` references written out."""
    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key.startswith("LEX:"):
            return alternation(lexicon(key[4:]))
        if key in macros:
            return macros[key]
        raise KeyError(f"unknown macro {{{key}}} in pattern {pattern!r}")

    return re.sub(r"\{([A-Z][A-Z_0-9]*(?::[a-z_]+)?)\}", sub, pattern)


@lru_cache(maxsize=1)
def packaged() -> Resources:
    """Every word list the package ships, for the stages after extraction that share them
    (identity resolution reads the legal forms and contest grammar the pipeline uses)."""
    names = [f"lexicons/{p.name}" for p in sorted((DATA_DIR / "lexicons").iterdir()) if p.is_file()]
    return Resources.read(names)
