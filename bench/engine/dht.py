#!/usr/bin/python3
"""Time to the first peer and the first verified piece of a tracker-less magnet, found through the DHT alone:
Hypertube's engine CLI against a fresh libtorrent 2.0 session, on a private loopback DHT.

The DHT is interop/lt_dht_swarm.py's (torrent/src/test/resources/interop/): a libtorrent router on
127.0.0.1 and N more libtorrent sessions (default 30) on 127.0.i.1, the first of which seeds the test file
(a torrent with no tracker); with its --mesh the nodes' tables fill first (most of the swarm in each) and
the seed then announces to the nodes closest to the info-hash; --dead M more nodes join the tables and go
silent just before (they never answer again, as many nodes of a real DHT). Once the announce is stored,
each round starts both clients in turn (the order alternates from round to round), each with nothing but
the magnet "magnet:?xt=urn:btih:HEX" and the router's address as its only DHT bootstrap node:
  ours        bin/torrent download --dht --dht-bootstrap ROUTER --events (a fresh download folder,
              so a fresh node id and no nodes file from an earlier round)
  libtorrent  a fresh session in a new process (this file's "lt-leech" mode): enable_dht with
              dht_bootstrap_nodes = ROUTER, LSD/UPnP/NAT-PMP and uTP off
Each client gets an address of its own for the round (127.0.100+r.1 ours, 127.0.150+r.1 a second build of
ours given as --cli-b and raced as "ours-b", 127.0.200+r.1 libtorrent), so no node of the swarm has seen
its IP before. Times are from the moment the client adds the magnet (its
own "EVENT added" line) to its first connected peer and its first verified piece; the time from the
process's start is shown too (the JVM starts more slowly than Python). "First peer" is, for ours, the
first peer past both BitTorrent handshakes; for libtorrent, its first peer_connect_alert (the TCP
connection, a little earlier than the handshakes, so the comparison leans libtorrent's way).
Run from the repository root:

    /usr/bin/python3 bench/engine/dht.py [--nodes 30] [--dead 0] [--rounds 5] [--cli DIR/torrent]
                                         [--cli-b DIR/torrent --clients ours,ours-b,libtorrent]

Needs: JDK 25 (bin/torrent builds the jar), python3-libtorrent (/usr/bin/python3). Everything listens
on 127.0.0.0/8 only; no session has any other bootstrap node, so nothing reaches the public DHT.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from race import ROOT, TORRENT_CLI, make_data  # noqa: E402

INTEROP = os.path.join(ROOT, 'torrent/src/test/resources/interop')
SWARM = os.path.join(INTEROP, 'lt_dht_swarm.py')
LT_PEER = os.path.join(INTEROP, 'lt_peer.py')
EVENTS = ('added', 'peer', 'metadata', 'piece')


def lt_leech(argv):
    """A fresh libtorrent session: adds the magnet and prints the same EVENT lines as our CLI's --events."""
    ap = argparse.ArgumentParser(prog='dht.py lt-leech')
    ap.add_argument('--ip', required=True)
    ap.add_argument('--router', required=True)
    ap.add_argument('--magnet', required=True)
    ap.add_argument('--save', required=True)
    ap.add_argument('--timeout', type=float, default=120)
    a = ap.parse_args(argv)
    import warnings
    import libtorrent as lt
    warnings.simplefilter('ignore', DeprecationWarning)
    s = lt.session({
        'listen_interfaces': a.ip + ':0', 'outgoing_interfaces': a.ip,
        'enable_dht': True, 'dht_bootstrap_nodes': a.router,
        'dht_restrict_routing_ips': False, 'dht_restrict_search_ips': False,
        'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False, 'enable_ip_notifier': False,
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'allow_multiple_connections_per_ip': True,
        'user_agent': 'libtorrent-dht-bench',
        'alert_mask': lt.alert_category.connect | lt.alert_category.status | lt.alert_category.piece_progress
        | lt.alert_category.dht | lt.alert_category.tracker | lt.alert_category.error,
    })

    def event(name, detail=''):
        print('EVENT %s %d%s' % (name, int(time.time() * 1000), ' ' + detail if detail else ''), flush=True)

    p = lt.parse_magnet_uri(a.magnet)
    p.save_path = a.save
    event('added')
    s.add_torrent(p)
    seen = set()
    deadline = time.time() + a.timeout
    while time.time() < deadline and 'piece' not in seen:
        s.wait_for_alert(2)
        for al in s.pop_alerts():
            name = None
            detail = ''
            if isinstance(al, lt.peer_connect_alert):
                name, detail = 'peer', '%s:%d' % (al.ip[0], al.ip[1])
            elif isinstance(al, lt.metadata_received_alert):
                name = 'metadata'
            elif isinstance(al, lt.piece_finished_alert):
                name = 'piece'
            elif isinstance(al, lt.dht_reply_alert):
                name, detail = 'dht-peers', str(al.num_peers)
            if name and name not in seen:
                seen.add(name)
                event(name, detail)
    return 0 if 'piece' in seen else 1


class Swarm:
    """lt_dht_swarm.py in the background: its PORTS line, and the last NODES line (table sizes)."""

    def __init__(self, torrent, save, nodes, dead, log):
        self.proc = subprocess.Popen(['/usr/bin/python3', SWARM, '--torrent', torrent, '--save', save,
                                      '--nodes', str(nodes), '--mesh', '--dead', str(dead), '--interval', '1',
                                      '--max-seconds', '86400'],
                                     stdout=subprocess.PIPE, stderr=open(log + '.err', 'wb'), start_new_session=True,
                                     text=True)
        self.ports = None
        self.sizes = {}
        self.log = open(log, 'w')
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.log.write(line)
            self.log.flush()
            if line.startswith('PORTS '):
                self.ports = json.loads(line[6:])
                self.ready.set()
            elif line.startswith('NODES '):
                self.sizes = json.loads(line[6:])
        self.ready.set()

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def run_client(cmd, log, timeout):
    """Runs cmd until it prints EVENT piece (then stops it) or times out; returns (start epoch s, {event: epoch s})."""
    events = {}
    start = time.time()
    with open(log, 'w') as out:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=out, start_new_session=True, text=True)
        killer = threading.Timer(timeout, lambda: os.killpg(p.pid, signal.SIGKILL))
        killer.start()
        try:
            for line in p.stdout:
                out.write(line)
                f = line.split()
                if len(f) >= 3 and f[0] == 'EVENT' and f[1] not in events:
                    events[f[1]] = int(f[2]) / 1000.0
                    if f[1] == 'piece':
                        break
        finally:
            killer.cancel()
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
    return start, events


def print_table(results, clients, rounds, base):
    """Medians (seconds) per client over the rounds that reached each event, and the ratios to base."""
    cols = [('peer', 'added'), ('piece', 'added'), ('peer', 'start'), ('piece', 'start')]
    med = {}
    for c in clients:
        for ev, frm in cols:
            xs = [r[ev] - r[frm] for r in results[c] if ev in r and frm in r]
            med[c, ev, frm] = (statistics.median(xs), len(xs)) if xs else None
    print('\n| client | first peer from add (median) | first piece from add | first peer from process start '
          '| first piece from process start | peer vs %s | piece vs %s |' % (base, base))
    print('|---|---|---|---|---|---|---|')
    for c in clients:
        cells = []
        for ev, frm in cols:
            m = med[c, ev, frm]
            cells.append('%.3f s (%d/%d)' % (m[0], m[1], rounds) if m else '- (0/%d)' % rounds)
        ratios = []
        for ev in ('peer', 'piece'):
            m, b = med[c, ev, 'added'], med.get((base, ev, 'added'))
            ratios.append('%.2f' % (m[0] / b[0]) if m and b and b[0] > 0 else '-')
        print('| %s | %s | %s |' % (c, ' | '.join(cells), ' | '.join(ratios)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--nodes', type=int, default=30, help='libtorrent DHT nodes besides the router (the first seeds)')
    ap.add_argument('--dead', type=int, default=0,
                    help='more nodes that join the tables, then go silent before the seed announces (a real DHT\'s dead nodes)')
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--size-mib', type=int, default=16)
    ap.add_argument('--piece-kib', type=int, default=256)
    ap.add_argument('--settle', type=float, default=20, help='seconds to let the nodes\' tables fill after the announce')
    ap.add_argument('--clients', default='ours,libtorrent')
    ap.add_argument('--work', default='/tmp/hypertube-bench-dht')
    ap.add_argument('--timeout', type=float, default=90)
    ap.add_argument('--cli', default=TORRENT_CLI, help='our CLI launcher; bench/engine/snapshot.sh makes a frozen copy')
    ap.add_argument('--cli-b', default=None,
                    help='a second launcher of our CLI, raced as client "ours-b" (A/B comparisons of two builds)')
    a = ap.parse_args()
    clients = a.clients.split(',')
    if not 1 <= a.rounds <= 50 or a.nodes + a.dead >= 100:
        raise SystemExit('at most 50 rounds and 99 nodes (each has its own 127.0.N.1)')
    shutil.rmtree(a.work, ignore_errors=True)
    seed_dir = os.path.join(a.work, 'seed')
    os.makedirs(seed_dir)
    data = os.path.join(seed_dir, 'dht.bin')
    make_data(data, a.size_mib << 20)
    torrent = os.path.join(a.work, 'dht.torrent')
    subprocess.run([a.cli, 'create', '--piece-length', str(a.piece_kib << 10), '-o', torrent, data], check=True,
                   stdout=subprocess.DEVNULL)
    import libtorrent as lt
    info_hash = str(lt.torrent_info(torrent).info_hash())
    magnet = 'magnet:?xt=urn:btih:' + info_hash
    swarm = Swarm(torrent, seed_dir, a.nodes, a.dead, os.path.join(a.work, 'swarm.log'))
    try:
        if not swarm.ready.wait(120) or swarm.ports is None:
            raise SystemExit('the DHT swarm did not come up (see %s/swarm.log*)' % a.work)
        router = swarm.ports['router']
        print('swarm up: router %s, seed %s; letting the tables fill for %.0f s' % (router, swarm.ports['seed'], a.settle),
              file=sys.stderr)
        # Warm-up, not counted: the seed (libtorrent in seed_mode) hashes each piece on its first request.
        warm = os.path.join(a.work, 'warmup')
        subprocess.run(['/usr/bin/python3', LT_PEER, 'leech', '--save', warm, '--torrent', torrent, '--exit-when-done',
                        '--peer', swarm.ports['seed'], '--interval', '0.1'], stdout=subprocess.DEVNULL, timeout=300,
                       check=True)
        shutil.rmtree(warm, ignore_errors=True)
        time.sleep(a.settle)
        print('DHT table sizes: %s' % json.dumps(swarm.sizes), file=sys.stderr)
        results = {c: [] for c in clients}
        for r in range(a.rounds):
            order = clients if r % 2 == 0 else list(reversed(clients))
            for c in order:
                d = os.path.join(a.work, 'dl-%s-%d' % (c, r))
                os.makedirs(d)
                if c in ('ours', 'ours-b'):
                    ip = '127.0.%d.1' % ((100 if c == 'ours' else 150) + r)
                    cmd = [a.cli if c == 'ours' else a.cli_b, 'download', '--dir', d, '--bind', ip, '--port', '0', '--dht', '--dht-bootstrap', router,
                           '--events', '--timeout', str(int(a.timeout)), magnet]
                elif c == 'libtorrent':
                    ip = '127.0.%d.1' % (200 + r)
                    cmd = ['/usr/bin/python3', os.path.abspath(__file__), 'lt-leech', '--ip', ip, '--router', router,
                           '--magnet', magnet, '--save', d, '--timeout', str(a.timeout)]
                else:
                    raise SystemExit('unknown client ' + c)
                start, ev = run_client(cmd, os.path.join(a.work, '%s-%d.log' % (c, r)), a.timeout + 10)
                ev['start'] = start
                results[c].append(ev)
                t0 = ev.get('added')

                def since(name):
                    return '%6.3f s' % (ev[name] - t0) if name in ev and t0 else '     -  '
                print('round %d %-10s start->add %s  peer %s  metadata %s  piece %s'
                      % (r + 1, c, '%.3f s' % (t0 - start) if t0 else '-', since('peer'), since('metadata'), since('piece')),
                      file=sys.stderr)
                shutil.rmtree(d, ignore_errors=True)
                time.sleep(1)
    finally:
        swarm.stop()
    print('\n%d libtorrent DHT nodes + router (%d more gone silent), %d rounds, %d MiB torrent in %d KiB pieces, '
          'magnet with no tracker' % (a.nodes, a.dead, a.rounds, a.size_mib, a.piece_kib))
    print_table(results, clients, a.rounds, 'libtorrent')


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'lt-leech':
        sys.exit(lt_leech(sys.argv[2:]))
    main()
