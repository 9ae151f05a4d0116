#!/usr/bin/env python3
"""scorm_zip.py OUT.zip DIR: zips every file under DIR (paths relative to
DIR, imsmanifest.xml first) with deflate and fixed timestamps, so the same
inputs give the same bytes. Python's zipfile is on every Debian machine."""
import os
import sys
import zipfile


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: scorm_zip.py OUT.zip DIR\n")
        return 2
    out, root = argv[1], argv[2]
    names = []
    for folder, _, files in os.walk(root):
        for f in files:
            names.append(os.path.relpath(os.path.join(folder, f), root).replace(os.sep, "/"))
    if "imsmanifest.xml" not in names:
        sys.stderr.write("scorm_zip: %s has no imsmanifest.xml\n" % root)
        return 1
    # The manifest first: some LMSs look for it at the start of the file.
    names.sort(key=lambda n: (n != "imsmanifest.xml", n))
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for n in names:
            info = zipfile.ZipInfo(n, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(root, n), "rb") as f:
                z.writestr(info, f.read())
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
