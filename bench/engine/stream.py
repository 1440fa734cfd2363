#!/usr/bin/python3
"""Time to first byte after a seek: Hypertube's TorrentStream against libtorrent's streaming deadlines.

One libtorrent seeder (TCP only, upload capped with --rate, loopback counted against the cap)
seeds one file (--size-mib, 256 KiB pieces). Each round, each client starts from an empty folder:
  open:  head and tail (2 MiB each) and an 8 MiB window at 0 wanted first; time until byte 0 is
         readable ("first");
  seeks: for each fraction, jump there and time until the byte there is readable.
Ours: bench/engine/StreamProbe.java over a TorrentStream (its own wishes/deadlines/re-requests).
libtorrent: the same wishes given by hand with set_piece_deadline (head/tail at 0 ms, the window
at +100 ms per piece, cleared and set again on each seek), readability polled every 5 ms
(have_piece). Both fetch the rest in the background. Run from the repository root:

    /usr/bin/python3 bench/engine/stream.py [--size-mib 64] [--rate 2000000] [--rounds 3]

Needs JDK 25 and torrent/target/torrent-cli.jar (./mvnw -pl torrent package), python3-libtorrent.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

import libtorrent as lt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LT_PEER = os.path.join(ROOT, 'torrent/src/test/resources/interop/lt_peer.py')
JAR = os.path.join(ROOT, 'torrent/target/torrent-cli.jar')
PROBE = os.path.join(ROOT, 'bench/engine/StreamProbe.java')
PIECE = 256 * 1024
HEAD_TAIL = 2 << 20
WINDOW = 8 << 20


def java():
    # As bin/torrent: JAVA25_HOME, Temurin 25, JAVA_HOME, then PATH.
    for home in (os.environ.get('JAVA25_HOME'), '/usr/lib/jvm/temurin-25-jdk-amd64', os.environ.get('JAVA_HOME')):
        if home and os.path.exists(os.path.join(home, 'bin/java')):
            return os.path.join(home, 'bin/java')
    return 'java'


def make_torrent(work, size):
    seed_dir = os.path.join(work, 'seed')
    os.makedirs(seed_dir, exist_ok=True)
    data = os.path.join(seed_dir, 'film.bin')
    if not (os.path.exists(data) and os.path.getsize(data) == size):
        with open(data, 'wb') as f:
            for _ in range(size // (1 << 20)):
                f.write(os.urandom(1 << 20))
    fs = lt.file_storage()
    lt.add_files(fs, data)
    ct = lt.create_torrent(fs, PIECE)
    lt.set_piece_hashes(ct, seed_dir)
    path = os.path.join(work, 'film.torrent')
    with open(path, 'wb') as f:
        f.write(lt.bencode(ct.generate()))
    return seed_dir, path


def start_seeder(seed_dir, torrent, rate, log):
    p = subprocess.Popen(['/usr/bin/python3', LT_PEER, 'seed', '--save', seed_dir, '--torrent', torrent,
                          '--upload-limit', str(rate), '--interval', '5'],
                         stdout=subprocess.PIPE, stderr=log, text=True)
    line = p.stdout.readline()
    if not line.startswith('LISTEN'):
        raise SystemExit('seeder did not start: ' + line)
    return p, int(line.split()[1])


def ours(torrent, folder, port, seeks):
    out = subprocess.run([java(), '-cp', JAR, PROBE, torrent, folder, '127.0.0.1:%d' % port,
                          ','.join(str(s) for s in seeks)], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit('StreamProbe failed:\n' + out.stderr[-3000:])
    first, seek_ms = None, []
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts[0] == 'FIRST':
            first = float(parts[1])
        elif parts[0] == 'SEEK':
            seek_ms.append(float(parts[2]))
    return first, seek_ms


def libtorrent(torrent, folder, port, seeks):
    s = lt.session({'listen_interfaces': '127.0.0.1:0', 'outgoing_interfaces': '127.0.0.1',
                    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
                    'allow_multiple_connections_per_ip': True,
                    'enable_outgoing_utp': False, 'enable_incoming_utp': False})
    p = lt.add_torrent_params()
    p.ti = lt.torrent_info(torrent)
    p.save_path = folder
    start = time.time()
    h = s.add_torrent(p)
    h.connect_peer(('127.0.0.1', port))
    n = p.ti.num_pieces()
    size = p.ti.total_size()

    def wish(pos):
        h.clear_piece_deadlines()
        for i in list(range(0, HEAD_TAIL // PIECE)) + list(range(n - HEAD_TAIL // PIECE, n)):
            if not h.have_piece(i):
                h.set_piece_deadline(i, 0)
        first = pos // PIECE
        for k, i in enumerate(range(first, min(n, first + WINDOW // PIECE))):
            if not h.have_piece(i):
                h.set_piece_deadline(i, 100 * (k + 1))

    def wait(piece):
        while not h.have_piece(piece):
            time.sleep(0.005)

    wish(0)
    wait(0)
    first_ms = (time.time() - start) * 1000
    seek_ms = []
    for f in seeks:
        t0 = time.time()
        pos = int(f * size)
        wish(pos)
        wait(pos // PIECE)
        seek_ms.append((time.time() - t0) * 1000)
    s.remove_torrent(h)
    del s
    return first_ms, seek_ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--size-mib', type=int, default=64)
    ap.add_argument('--rate', type=int, default=2_000_000, help="seeder's upload cap, bytes/s")
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--seeks', default='0.3,0.7,0.5,0.9')
    ap.add_argument('--work', default='/tmp/hypertube-stream-bench')
    a = ap.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit('build the jar first: ./mvnw -q -B -pl torrent package -DskipTests')
    os.makedirs(a.work, exist_ok=True)
    seeks = [float(x) for x in a.seeks.split(',')]
    seed_dir, torrent = make_torrent(a.work, a.size_mib << 20)
    log = open(os.path.join(a.work, 'seeder.log'), 'w')
    results = {'ours': ([], []), 'libtorrent': ([], [])}
    for r in range(a.rounds):
        for name, fn in (('ours', ours), ('libtorrent', libtorrent)):
            # A fresh seeder each run: nothing cached in its upload queue from the previous client.
            seeder, port = start_seeder(seed_dir, torrent, a.rate, log)
            folder = os.path.join(a.work, name)
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            try:
                first, seek_ms = fn(torrent, folder, port, seeks)
            finally:
                seeder.terminate()
                seeder.wait(10)
            results[name][0].append(first)
            results[name][1].extend(seek_ms)
            print('round %d %-10s first %7.0f ms  seeks %s ms' % (r + 1, name, first,
                  ' '.join('%.0f' % x for x in seek_ms)), flush=True)
    print()
    print('%-10s %14s %16s %16s' % ('client', 'first (median)', 'seek (median)', 'seek (max)'))
    for name, (first, seek_ms) in results.items():
        print('%-10s %11.0f ms %13.0f ms %13.0f ms' % (name, statistics.median(first), statistics.median(seek_ms), max(seek_ms)))
    o, l = results['ours'], results['libtorrent']
    print('ratio ours/libtorrent: first %.2f, seek median %.2f, seek max %.2f' % (
        statistics.median(o[0]) / statistics.median(l[0]), statistics.median(o[1]) / statistics.median(l[1]),
        max(o[1]) / max(l[1])))


if __name__ == '__main__':
    sys.exit(main())
