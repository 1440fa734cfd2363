#!/usr/bin/python3
"""What libtorrent 2.0 makes of .torrent files, for the metainfo interop test.

usage: lt_info.py FILE...
Prints one line per file, in order:
  OK <name> <file>...     each <file> is <path>:<size>:<pad 0|1>, <name> and <path> as hex of UTF-8
  ERR <message>           when libtorrent refuses the file
"""
import sys

import libtorrent as lt


def hexed(s):
    return s.encode('utf-8', 'surrogateescape').hex()


for path in sys.argv[1:]:
    try:
        ti = lt.torrent_info(path)
    except Exception as e:  # libtorrent raises RuntimeError; anything else is a refusal too
        print('ERR', str(e).replace('\n', ' ') or type(e).__name__, flush=True)
        continue
    fs = ti.files()
    files = []
    for i in range(fs.num_files()):
        pad = 1 if fs.file_flags(i) & lt.file_storage.flag_pad_file else 0
        files.append('%s:%d:%d' % (hexed(fs.file_path(i)), fs.file_size(i), pad))
    print('OK', hexed(ti.name()), *files, flush=True)
