#!/usr/bin/env python3
"""Writes every CJK character used by the UI and the built-in lessons to OUT,
so the Chinese font can be cut down to just those glyphs.

usage: cjk_chars.py OUT FILE...
"""
import sys


def main() -> int:
    out, files = sys.argv[1], sys.argv[2:]
    chars = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            chars.update(c for c in f.read() if ord(c) >= 0x2E80)
    # Full-width punctuation the Chinese texts may use even if absent today.
    chars.update("，。：；？！、（）“”‘’《》【】…—·")
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(sorted(chars)))
    print(f"cjk_chars: {len(chars)} characters from {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
