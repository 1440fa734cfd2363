#!/usr/bin/python3
"""A private loopback DHT of libtorrent 2.0 sessions (SWARM.md §3.1-3.2), for DHT interop tests.

usage: lt_dht_swarm.py --torrent FILE --save DIR [--nodes N] [--mesh [--dead M]] [--watch] [--fetch HEX] [--max-seconds S]

Session R is the router on 127.0.0.1: DHT on, no bootstrap node. N more sessions (default 4), the
i-th on 127.0.i.1, bootstrap from R and meet each other through it; the first of them, S, seeds
FILE (a tracker-less torrent) from DIR and calls force_dht_announce() until a DHT node confirms its
announce. With --mesh (for the benchmark's bigger swarms), every session first pings
(add_dht_node) the router and 8 others at random, and the router pings them all, so that the tables
hold most of the swarm before S adds the torrent and announces it (to the nodes closest to its
info-hash, as in a real DHT, rather than to the router, the only node known to everyone at the start;
MESHED <median table size> is printed then). --dead M adds M more sessions to the mesh that turn their
DHT off just before the announce: they stay in the others' tables but never answer again, as the many
dead nodes of a real DHT do. Everything listens on loopback only; dht_bootstrap_nodes names R alone, so nothing leaves
the machine. One address per session, since our routing table and lookups (as libtorrent's by
default) keep one node per IP; dht_restrict_routing_ips/dht_restrict_search_ips are off anyway.

Prints, one line each:
  ANNOUNCED <session> <peer>    a session's DHT node stored <peer> (the seed) for the torrent
  PORTS {"router": "IP:P", "seed": "IP:P", "nodes": ["IP:P", ...]}   after the first ANNOUNCED (DHT and BitTorrent
                                                      share each session's port)
  NODES {"router": n, "seed": n, ...}                 every --interval seconds: DHT nodes each knows
  DHT_PEERS ["IP:P", ...]   with --watch: the peers the last session's get_peers lookup (dht_get_peers,
                            every 2 s after PORTS) found for the torrent, whoever announced them
  FETCHING <hex>            with --fetch: once dht_get_peers for HEX names someone, the last session
                            adds the magnet "magnet:?xt=urn:btih:HEX" (nothing else: its own DHT
                            lookup must find the peers) and downloads it into DIR/fetched
  FETCHED <hex>             that download finished
The seed re-announces every 2 s until some node stored it. Measured by hand: libtorrent announces
within a second and the router stores it; the other sessions' tables fill more slowly.
"""
import argparse
import json
import os
import warnings
import sys
import time

import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument('--torrent', required=True)
ap.add_argument('--save', required=True)
ap.add_argument('--nodes', type=int, default=4)
ap.add_argument('--interval', type=float, default=1.0)
ap.add_argument('--mesh', action='store_true', help='fill the tables before the seed adds its torrent')
ap.add_argument('--dead', type=int, default=0, help='with --mesh: sessions that leave the DHT once the tables are full')
ap.add_argument('--watch', action='store_true')
ap.add_argument('--fetch', help='info-hash (hex) of a torrent someone else announces on the DHT')
ap.add_argument('--max-seconds', type=float, default=300, help='exit after this long, so no session outlives a test')
a = ap.parse_args()
warnings.simplefilter('ignore', DeprecationWarning)


def session(ip, bootstrap):
    return lt.session({
        'listen_interfaces': ip + ':0',
        'outgoing_interfaces': ip,
        'enable_dht': True, 'dht_bootstrap_nodes': bootstrap,
        'dht_restrict_routing_ips': False, 'dht_restrict_search_ips': False,
        'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False, 'enable_ip_notifier': False,
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'allow_multiple_connections_per_ip': True,
        'user_agent': 'libtorrent-dht-interop',
        'alert_mask': lt.alert_category.error | lt.alert_category.dht | lt.alert_category.dht_operation | lt.alert_category.status,
    })


router = session('127.0.0.1', '')
rport = router.listen_port()
names = ['seed'] + ['n%d' % i for i in range(1, a.nodes)]
dead = ['d%d' % i for i in range(1, a.dead + 1)] if a.mesh else []
sessions = {'router': router}
ips = {'router': '127.0.0.1'}
for i, n in enumerate(names + dead):
    ips[n] = '127.0.%d.1' % (i + 1)
    sessions[n] = session(ips[n], '127.0.0.1:%d' % rport)


def endpoint(n):
    return '%s:%d' % (ips[n], sessions[n].listen_port())

p = lt.add_torrent_params()
p.ti = lt.torrent_info(a.torrent)
p.save_path = a.save
p.flags |= lt.torrent_flags.seed_mode
seed = None if a.mesh else sessions['seed'].add_torrent(p)
if a.mesh:
    import random
    everyone = names + dead
    for n in everyone:
        sessions[n].add_dht_node((ips['router'], rport))
        for other in random.sample([m for m in everyone if m != n], min(8, len(everyone) - 1)):
            sessions[n].add_dht_node((ips[other], sessions[other].listen_port()))
        router.add_dht_node((ips[n], sessions[n].listen_port()))


def table_size(s):
    return s.status().dht_nodes  # deprecated but still filled in 2.0.8


start = time.time()
ready = False
announced = False
last_announce = 0.0
last_watch = 0.0
fetch_hash = lt.sha1_hash(bytes.fromhex(a.fetch)) if a.fetch else None
fetching = None
fetched = False
watcher = sessions[names[-1]]
info_hash = lt.torrent_info(a.torrent).info_hash()
last_report = 0.0
retired = []
while time.time() - start < a.max_seconds:
    now = time.time()
    sizes = {n: table_size(s) for n, s in sessions.items()}
    if seed is None:
        median = sorted(sizes.values())[len(sizes) // 2]
        if median >= min(16, len(names)) or now - start > 60:
            print('MESHED %d' % median, flush=True)
            for d in dead:  # kept open (a closed port could answer with ICMP), silent as a vanished node
                retired.append(sessions.pop(d))
                retired[-1].apply_settings({'enable_dht': False})
            seed = sessions['seed'].add_torrent(p)
    if not ready and announced:
        ready = True
        print('PORTS ' + json.dumps({'router': endpoint('router'), 'seed': endpoint('seed'),
                                     'nodes': [endpoint(n) for n in names[1:]]}), flush=True)
    if seed is not None and not announced and now - last_announce > 2:
        seed.force_dht_announce()
        last_announce = now
    if ready and now - last_watch > 2:
        if a.watch:
            watcher.dht_get_peers(info_hash)
        if fetch_hash is not None and fetching is None:
            watcher.dht_get_peers(fetch_hash)
        last_watch = now
    if fetching is not None and not fetched and fetching.status().is_seeding:
        fetched = True
        print('FETCHED ' + a.fetch, flush=True)
    for n, s in sessions.items():
        for al in s.pop_alerts():
            if isinstance(al, lt.dht_announce_alert):
                announced = True
                print('ANNOUNCED %s %s:%d' % (n, al.ip, al.port), flush=True)
            elif isinstance(al, lt.dht_get_peers_reply_alert):
                if fetch_hash is not None and al.info_hash == fetch_hash:
                    if fetching is None and al.num_peers() > 0:
                        fp = lt.parse_magnet_uri('magnet:?xt=urn:btih:' + a.fetch)
                        fp.save_path = os.path.join(a.save, 'fetched')
                        fetching = watcher.add_torrent(fp)
                        print('FETCHING ' + a.fetch, flush=True)
                else:
                    print('DHT_PEERS ' + json.dumps(sorted('%s:%d' % p for p in al.peers())), flush=True)
            elif al.category() & lt.alert_category.error:
                print('ERROR %s %s' % (n, al.message()), file=sys.stderr, flush=True)
    if now - last_report > a.interval:
        last_report = now
        print('NODES ' + json.dumps(sizes), flush=True)
    time.sleep(0.1)
