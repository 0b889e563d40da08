"""Write search/data/common_words.txt: the words paired into grams at index time.

    .venv/bin/python scripts/common_words.py [--count 2000]

The COUNT most frequent words of jieba's dictionary (jieba's dict.txt, by its own
frequencies: general Chinese, not this archive's articles), normalized as the analyzer
normalizes text. Changing the list changes which grams an index holds: search.analysis
names each list by a hash, and phrases read grams only from an index written with the same
list (any other is read word by word, as before, until it is rebuilt).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    import jieba

    from search.analysis import COMMON_WORDS, normalize

    dictionary = Path(jieba.__file__).parent / "dict.txt"
    rows = [line.split() for line in dictionary.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda r: (-int(r[1]), r[0]))
    words: list[str] = []
    for row in rows:
        word = normalize(row[0]).strip()
        if word and word not in words:
            words.append(word)
        if len(words) == args.count:
            break
    header = (
        f"# The {len(words):,} most frequent words of jieba {jieba.__version__}'s dictionary, by its\n"
        "# frequencies; made by scripts/common_words.py. Two of them in a row are also indexed as\n"
        "# one term (a gram), so a phrase of two frequent words reads one short list.\n"
    )
    COMMON_WORDS.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{COMMON_WORDS}: {len(words)} words")


if __name__ == "__main__":
    main()
