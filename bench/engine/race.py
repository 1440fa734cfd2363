#!/usr/bin/python3
"""Race Hypertube's engine CLI against libtorrent 2.0 and aria2 on a loopback swarm.

One torrent (1 GiB by default, 1 MiB pieces), 4 libtorrent seeders (TCP only, uTP off), our own
tracker; each client downloads the same torrent from scratch, several rounds, in turn.
Reports wall time and CPU seconds (user + sys of the downloader process tree) per GiB, and
ratios to libtorrent; also the CPU seconds the four seeders spent during each download (on a
2-core machine the downloader and the seeders share the CPU, so what a client costs the seeders
shows in its wall time). Run from the repository root:

    /usr/bin/python3 bench/engine/race.py [--size-mib 1024] [--rounds 3] [--clients ours,libtorrent,aria2]

Needs: JDK 25 (bin/torrent builds the jar), python3-libtorrent (/usr/bin/python3), aria2c.
Everything listens on 127.0.0.1; work files go to --work (default /tmp/hypertube-bench).
"""
import argparse
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LT_PEER = os.path.join(ROOT, 'torrent/src/test/resources/interop/lt_peer.py')
TORRENT_CLI = os.path.join(ROOT, 'bin/torrent')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def dht_off(launcher):
    """['--no-dht'] for a CLI whose download has the DHT on by default (a race stays on loopback); [] for an older
    build, which knows no such flag and keeps the DHT off anyway."""
    r = subprocess.run(launcher + ['download', '--no-dht'], capture_output=True, text=True)
    return [] if 'unknown option --no-dht' in r.stderr else ['--no-dht']


def wait_for_port(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit('nothing listening on port %d' % port)


def make_data(path, size):
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    chunk = 1 << 20
    with open(path, 'wb') as f:
        left = size
        while left > 0:
            n = min(chunk, left)
            f.write(os.urandom(n))
            left -= n


def run_timed(cmd, cwd, log, timeout):
    """Runs cmd to completion; returns (wall seconds, cpu seconds of it and its children, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with open(log, 'wb') as out:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            code = -1
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    print('    %s: user %.2f s, sys %.2f s' % (os.path.basename(cmd[0]), user, system), file=sys.stderr)
    return wall, user + system, code


def cpu_seconds(pids):
    """User + system CPU seconds so far of the given processes (all their threads)."""
    tick = os.sysconf('SC_CLK_TCK')
    total = 0
    for pid in pids:
        try:
            with open('/proc/%d/stat' % pid) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / tick


def same_file(a, b):
    if not os.path.exists(b) or os.path.getsize(a) != os.path.getsize(b):
        return False
    return subprocess.run(['cmp', '-s', a, b]).returncode == 0


def print_medians(results, clients, rounds, size, base_client, side_label):
    """Prints a Markdown table of each client's medians per GiB and ratios to base_client; results hold,
    per client, one (wall s, CPU s, ok, other process's CPU s) per round."""
    gib = size / float(1 << 30)
    med = {}
    for c in clients:
        good = [x for x in results[c] if x[2]]
        if good:
            med[c] = (statistics.median(x[0] for x in good) / gib, statistics.median(x[1] for x in good) / gib, len(good),
                      statistics.median(x[3] for x in good) / gib)
    base = med.get(base_client)
    print('\n| client | runs ok | wall s/GiB (median) | CPU s/GiB (median) | wall vs %s | CPU vs %s | %s |'
          % (base_client, base_client, side_label))
    print('|---|---|---|---|---|---|---|')
    for c in clients:
        if c not in med:
            print('| %s | 0/%d | - | - | - | - | - |' % (c, rounds))
            continue
        w, cpu, n, sc = med[c]
        rw = '%.2f' % (w / base[0]) if base else '-'
        rc = '%.2f' % (cpu / base[1]) if base else '-'
        print('| %s | %d/%d | %.2f | %.2f | %s | %s | %.2f |' % (c, n, rounds, w, cpu, rw, rc, sc))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--size-mib', type=int, default=1024)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--seeders', type=int, default=4)
    ap.add_argument('--clients', default='ours,libtorrent,aria2')
    ap.add_argument('--work', default='/tmp/hypertube-bench')
    ap.add_argument('--timeout', type=int, default=900)
    ap.add_argument('--ours-prefix', default='', help='command to wrap our CLI in, e.g. "strace -f -c -o st.txt"')
    ap.add_argument('--cli', default=TORRENT_CLI,
                    help='our CLI launcher (default bin/torrent); bench/engine/snapshot.sh makes a frozen copy to race '
                         'while the sources change')
    ap.add_argument('--cli-b', default=None,
                    help='a second launcher of our CLI, raced as client "ours-b" (A/B comparisons of two builds)')
    a = ap.parse_args()
    cli = a.cli
    size = a.size_mib << 20
    clients = a.clients.split(',')
    os.makedirs(a.work, exist_ok=True)
    seed_dir = os.path.join(a.work, 'seed')
    os.makedirs(seed_dir, exist_ok=True)
    data = os.path.join(seed_dir, 'race.bin')
    print('making %d MiB of random data...' % a.size_mib, file=sys.stderr)
    make_data(data, size)

    no_dht = {c: dht_off(a.ours_prefix.split() + [cli if c == 'ours' else a.cli_b])
              for c in clients if c in ('ours', 'ours-b')}
    procs = []
    try:
        tracker_port = free_port()
        procs.append(subprocess.Popen([cli, 'tracker', '--bind', '127.0.0.1', '--port', str(tracker_port),
                                       '--interval', '5'], stdout=open(os.path.join(a.work, 'tracker.log'), 'wb'),
                                      stderr=subprocess.STDOUT, start_new_session=True))
        wait_for_port(tracker_port, 120)
        torrent = os.path.join(a.work, 'race.torrent')
        subprocess.run([cli, 'create', '--tracker', 'http://127.0.0.1:%d/announce' % tracker_port,
                        '--piece-length', str(1 << 20), '-o', torrent, data], check=True, stdout=subprocess.DEVNULL)
        seeders = []
        for i in range(a.seeders):
            seeders.append(subprocess.Popen(['/usr/bin/python3', LT_PEER, 'seed', '--save', seed_dir, '--torrent', torrent,
                                           '--interval', '5'],
                                          stdout=open(os.path.join(a.work, 'seeder%d.log' % i), 'wb'),
                                          stderr=subprocess.STDOUT, start_new_session=True))
        procs.extend(seeders)
        time.sleep(3)
        # Warm-up, not counted: libtorrent seeders in seed_mode hash each piece on its first request,
        # which would otherwise slow down whichever client happens to go first.
        warm = os.path.join(a.work, 'dl-warmup')
        shutil.rmtree(warm, ignore_errors=True)
        run_timed(['/usr/bin/python3', LT_PEER, 'leech', '--save', warm, '--torrent', torrent, '--exit-when-done'],
                  a.work, os.path.join(a.work, 'warmup.log'), a.timeout)
        shutil.rmtree(warm, ignore_errors=True)
        results = {c: [] for c in clients}
        for r in range(a.rounds):
            for c in clients:
                d = os.path.join(a.work, 'dl-' + c)
                shutil.rmtree(d, ignore_errors=True)
                os.makedirs(d)
                if c in ('ours', 'ours-b'):
                    cmd = a.ours_prefix.split() + [cli if c == 'ours' else a.cli_b, 'download'] + no_dht[c] + ['--dir', d, '--bind', '127.0.0.1', '--port', '0',
                           '--timeout', str(a.timeout), torrent]
                elif c == 'libtorrent':
                    cmd = ['/usr/bin/python3', LT_PEER, 'leech', '--save', d, '--torrent', torrent, '--exit-when-done',
                           '--interval', '0.05']
                elif c == 'aria2':
                    cmd = ['aria2c', '--enable-dht=false', '--enable-dht6=false', '--bt-enable-lpd=false',
                           '--enable-peer-exchange=false', '--interface=127.0.0.1', '--disable-ipv6=true',
                           '--listen-port=%d' % free_port(), '--seed-time=0', '--file-allocation=none', '--no-conf=true',
                           '--console-log-level=warn', '--summary-interval=0', '--dir=' + d, torrent]
                else:
                    raise SystemExit('unknown client ' + c)
                seeders_before = cpu_seconds(p.pid for p in seeders)
                wall, cpu, code = run_timed(cmd, a.work, os.path.join(a.work, '%s-%d.log' % (c, r)), a.timeout)
                seeders_cpu = cpu_seconds(p.pid for p in seeders) - seeders_before
                ok = code == 0 and same_file(data, os.path.join(d, 'race.bin'))
                print('round %d %-10s wall %7.2f s  cpu %7.2f s  seeders %5.2f s  %s'
                      % (r + 1, c, wall, cpu, seeders_cpu, 'ok' if ok else 'FAILED (exit %d)' % code), file=sys.stderr)
                results[c].append((wall, cpu, ok, seeders_cpu))
                shutil.rmtree(d, ignore_errors=True)
                time.sleep(2)
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)

    print_medians(results, clients, a.rounds, size, 'libtorrent', 'seeders\' CPU s/GiB (median)')

if __name__ == '__main__':
    main()
