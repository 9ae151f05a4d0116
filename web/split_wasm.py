#!/usr/bin/env python3
"""Split the page's wasm in two: what the first frame runs, and the rest.

    split_wasm.py ORIG KEEP_LIST PRIMARY DEFERRED

ORIG is the module emcc linked with -sSPLIT_MODULE and --profiling-funcs
(index.wasm.orig: whole, with a name section). KEEP_LIST
(web/first_frame_functions.txt) names the functions the first frame runs,
one per line, as web/split-profile.sh recorded them. Those stay in PRIMARY
(index.wasm, fetched before the first frame); every other function goes to
DEFERRED (index.deferred.wasm), which the page fetches right after its first
frame, with the lessons (shell.js, library.js). A function of the deferred
part called before it has arrived still works: Emscripten's placeholder asks
shell.js to fetch it then, synchronously.

A stale list costs speed, not correctness: a renamed first-frame function
is deferred and fetched synchronously at the first frame. The browser test
split.mjs fails when that happens, and names the function.
"""
import gzip
import os
import re
import subprocess
import sys
import tempfile

# Binaryen's wasm-split needs these to read what emcc wrote.
FEATURES = ['--enable-mutable-globals', '--enable-bulk-memory', '--enable-sign-ext']
# LLVM's suffix for a function name it had to make unique: " (.123)", or
# ".123" on a name it could not demangle. It changes from build to build, so
# the list is matched without it.
UNIQUE_SUFFIX = re.compile(r'( \(\.\d+\)|\.\d+)$')


def leb128(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def function_names(path):
    """The names in the module's name section (function subsection)."""
    data = open(path, 'rb').read()
    i, names = 8, []
    while i < len(data):
        section = data[i]
        size, i = leb128(data, i + 1)
        end = i + size
        if section == 0:
            length, j = leb128(data, i)
            if data[j:j + length] == b'name':
                j += length
                while j < end:
                    sub = data[j]
                    sub_size, j = leb128(data, j + 1)
                    if sub == 1:
                        count, k = leb128(data, j)
                        for _ in range(count):
                            _, k = leb128(data, k)
                            length, k = leb128(data, k)
                            names.append(data[k:k + length].decode('utf-8', 'replace'))
                            k += length
                    j += sub_size
        i = end
    return names


def binaryen_name(name):
    """A name as Binaryen spells it: bytes outside its id characters as \\xx."""
    ok = set('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&\'*+-./:<=>?@^_`|~')
    if all(c in ok for c in name):
        return name
    return ''.join(c if c in ok else ''.join('\\%02x' % b for b in c.encode()) for c in name)


def normal(name):
    return UNIQUE_SUFFIX.sub('', name)


def sizes(path):
    data = open(path, 'rb').read()
    return len(data), len(gzip.compress(data, 9))


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    orig, keep_list, primary, deferred = argv[1:]
    names = function_names(orig)
    if not names:
        sys.exit(f'split_wasm: {orig} has no function names (link it with --profiling-funcs)')
    wanted = {line.strip() for line in open(keep_list, encoding='utf-8') if line.strip() and not line.startswith('#')}
    keep = [n for n in names if normal(n) in wanted]
    missing = wanted - {normal(n) for n in names}
    with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False, encoding='utf-8') as f:
        f.write(''.join(binaryen_name(n) + '\n' for n in keep))
        keep_file = f.name
    try:
        subprocess.run([os.environ.get('WASM_SPLIT', 'wasm-split'), orig, *FEATURES, f'--keep-funcs=@{keep_file}',
                        '-o1', primary, '-o2', deferred], check=True)
    finally:
        os.unlink(keep_file)
    p, d = sizes(primary), sizes(deferred)
    print(f'split_wasm: {len(keep)} of {len(names)} functions before the first frame: '
          f'{os.path.basename(primary)} {p[0] // 1024} KB ({p[1] // 1024} KB gzip), '
          f'{os.path.basename(deferred)} {d[0] // 1024} KB ({d[1] // 1024} KB gzip)')
    if missing:
        # The list serves the page and the test page: a few names are the
        # other page's. Many missing ones mean a stale list.
        print(f'split_wasm: {len(missing)} names of {os.path.basename(keep_list)} are not in this module '
              f'(the other page\'s, or renamed: web/split-profile.sh refreshes the list)')


if __name__ == '__main__':
    main(sys.argv)
