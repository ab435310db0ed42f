#!/usr/bin/env python3
"""Write kg/pipeline/lexicons/traditional_characters.tsv from OpenCC's TSCharacters.txt.

usage: make-traditional-table.py TSCharacters.txt > kg/pipeline/lexicons/traditional_characters.tsv

OpenCC (Apache License 2.0, https://github.com/BYVoid/OpenCC) lists each traditional character with
its simplified forms, the usual one first. The normaliser needs one character for one character, so
the table keeps a character's first simplified form and drops entries that map to a string or to the
character itself. The file it writes is data the build reads; this script only documents how it was made.
"""
import sys


def main(path: str) -> None:
    print("# Traditional characters and the simplified character each folds to when an article is written in")
    print("# traditional characters (kg_normalizer). Made by scripts/make-traditional-table.py from OpenCC's")
    print("# TSCharacters.txt (Apache License 2.0, https://github.com/BYVoid/OpenCC): its first simplified form.")
    print("# traditional<TAB>simplified")
    for line in open(path, encoding="utf-8"):
        key, forms = line.rstrip("\n").split("\t")
        first = forms.split(" ")[0]
        if len(key) == 1 and len(first) == 1 and key != first:
            print(f"{key}\t{first}")


if __name__ == "__main__":
    main(sys.argv[1])
