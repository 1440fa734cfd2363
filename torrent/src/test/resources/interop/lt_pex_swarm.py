#!/usr/bin/python3
"""Three libtorrent 2.0 sessions on 127.0.0.1 for PEX interop tests: A seeds, B and C connect to A.

usage: lt_pex_swarm.py --torrent FILE --save DIR [--others seed|leech] [--interval SECONDS]
                       [--max-seconds N] [--log-pex]
A seeds FILE from DIR. B and C seed it too (--others seed, default) or download it from A into
DIR/b and DIR/c (--others leech); either way each dials A, so A has both as handshaken peers and
lists them in the ut_pex messages it sends. A test tells its client about A only, and checks that
the client then connects to B and C.

Prints, one line each:
  PORTS {"a": PORT, "b": PORT, "c": PORT}   once A has B and C as peers (then every peer of A gets them by PEX)
  PEERS {"a": [PEER...], "b": [...], "c": [...]}   every --interval, handshaken peers; PEER = {"ip": "127.0.0.1:P",
        "client": "...", "pex": bool, "incoming": bool, "seed": bool}
  PEX <session> <peer> <libtorrent's log line>   with --log-pex: every ut_pex message sent or received
  CLOSED <session> <peer> <libtorrent's reason>   a connection closed
PEX is on (libtorrent's default); DHT, LSD, UPnP, NAT-PMP, uTP and the IP notifier are off and no
DHT bootstrap node is set, so nothing leaves the machine. Redundant connections (seed to seed) are
kept open, else A would close B and C as soon as all are seeds and stop listing them.

What a client dialling A sees (measured by hand, libtorrent 2.0.8): it must advertise ut_pex in its
extension handshake's "m" (and should send "p"); A's full list comes 0.4 s after that handshake,
all six keys, flags 0x0b (encryption, seed, holepunch) for B and C, and the client itself listed
under its "p" port. A difference follows 60 s later only if A's peers changed; A's first difference
lists every peer again. libtorrent paces PEX sends per process (up to 3 s apart once several are
due), so give a test 15 s or so, not 1 s. A peer that is interested and unchoked but requests
nothing is closed by A after 60 s ("timed out: no request"). B and C also dial themselves from
A's list ("connected to ourselves" in CLOSED lines): expected.
"""
import argparse
import json
import os
import sys
import time

import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument('--torrent', required=True)
ap.add_argument('--save', required=True)
ap.add_argument('--others', choices=['seed', 'leech'], default='seed')
ap.add_argument('--interval', type=float, default=0.5)
ap.add_argument('--max-seconds', type=float, default=600, help='exit after this long, so no session outlives a test')
ap.add_argument('--log-pex', action='store_true')
a = ap.parse_args()


def session():
    s = lt.session({
        'listen_interfaces': '127.0.0.1:0',
        'outgoing_interfaces': '127.0.0.1',
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'enable_ip_notifier': False, 'dht_bootstrap_nodes': '',
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'allow_multiple_connections_per_ip': True,
        'close_redundant_connections': False,
        'user_agent': 'libtorrent-pex-interop',
        'alert_mask': lt.alert_category.error | lt.alert_category.connect | (lt.alert_category.peer_log if a.log_pex else 0),
    })
    return s


def add(s, save, seed):
    p = lt.add_torrent_params()
    p.ti = lt.torrent_info(a.torrent)
    p.save_path = save
    if seed:
        p.flags |= lt.torrent_flags.seed_mode
    return s.add_torrent(p)


names = ['a', 'b', 'c']
sessions = {n: session() for n in names}
handles = {'a': add(sessions['a'], a.save, True)}
for n in ['b', 'c']:
    save = a.save if a.others == 'seed' else os.path.join(a.save, n)
    handles[n] = add(sessions[n], save, a.others == 'seed')
ports = {n: sessions[n].listen_port() for n in names}
a_endpoint = ('127.0.0.1', ports['a'])


def peers(n):
    out = []
    for p in handles[n].get_peer_info():
        if p.flags & (lt.peer_info.connecting | lt.peer_info.handshake):
            continue  # only peers past the BitTorrent handshake, as PEX lists them
        client = p.client.decode('utf-8', 'replace') if isinstance(p.client, bytes) else p.client
        out.append({'ip': '%s:%d' % p.ip, 'client': client, 'pex': bool(p.source & lt.peer_info.pex),
                    'incoming': not (p.flags & lt.peer_info.outgoing_connection), 'seed': bool(p.flags & lt.peer_info.seed)})
    return out


start = time.time()
ready = False
while time.time() - start < a.max_seconds:
    if not ready:
        # B and C dial A until A has both; a dial on loopback now and then gets reset (SWARM.md §3.3).
        a_remotes = {p['ip'] for p in peers('a')}
        if len(a_remotes) >= 2:
            ready = True
            print('PORTS ' + json.dumps(ports), flush=True)
        else:
            for n in ['b', 'c']:
                if not any(p['ip'] == '127.0.0.1:%d' % ports['a'] for p in peers(n)):
                    handles[n].connect_peer(a_endpoint)
    for n in names:
        for al in sessions[n].pop_alerts():
            if isinstance(al, lt.peer_log_alert) and 'PEX' in al.message():
                print('PEX %s %s:%d %s' % (n, al.endpoint[0], al.endpoint[1], al.message()), flush=True)
            elif isinstance(al, lt.peer_disconnected_alert):
                print('CLOSED %s %s:%d %s' % (n, al.endpoint[0], al.endpoint[1], al.message()), flush=True)
            elif al.category() & lt.alert_category.error:
                print('ERROR %s %s' % (n, al.message()), file=sys.stderr, flush=True)
    print('PEERS ' + json.dumps({n: peers(n) for n in names}), flush=True)
    time.sleep(a.interval)
