#!/usr/bin/env python3
"""python3 bundle_lessons.py OUT LESSONS_DIR SOCKET_LESSONS_DIR

Writes the built-in lessons into the one file the page fetches after its
first frame (web/lesson_bundle.cpp), so they are not part of the first
download: {"lessons": [[name, text], ...], "sockets": [[name, text], ...]},
each text its lesson file minified (whitespace is a fifth of the files) and
each name as an author's file would be named ("lessons/01-handshake.json")."""
import glob
import json
import os
import sys


def texts(folder, prefix):
    out = []
    for path in sorted(glob.glob(os.path.join(folder, '*.json'))):
        with open(path, encoding='utf-8') as f:
            lesson = json.load(f)
        text = json.dumps(lesson, ensure_ascii=False, separators=(',', ':'))
        out.append([prefix + os.path.basename(path), text])
    return out


def main():
    out, lessons, sockets = sys.argv[1:4]
    bundle = {'lessons': texts(lessons, 'lessons/'), 'sockets': texts(sockets, 'lessons/sockets/')}
    tmp = out + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(bundle, f, ensure_ascii=False, separators=(',', ':'))
    os.replace(tmp, out)


if __name__ == '__main__':
    main()
