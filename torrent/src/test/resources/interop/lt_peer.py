#!/usr/bin/python3
"""A libtorrent 2.0 peer on loopback for interop tests and the benchmark.

usage: lt_peer.py (seed|leech) --save DIR (--torrent FILE | --magnet URI) [--port N]
                  [--peer HOST:PORT]... [--exit-when-done] [--interval SECONDS]
                  [--upload-limit BYTES_PER_SECOND]
Prints 'LISTEN <port>' once listening, 'STATUS <progress> <peers> <bytes>' periodically,
'DONE <seconds since add>' when the download is complete, and 'METADATA' when a magnet resolves.
DHT, LSD, UPnP, NAT-PMP and uTP are off.
"""
import argparse
import sys
import time

import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument('mode', choices=['seed', 'leech'])
ap.add_argument('--save', required=True)
ap.add_argument('--torrent')
ap.add_argument('--magnet')
ap.add_argument('--port', type=int, default=0)
ap.add_argument('--peer', action='append', default=[])
ap.add_argument('--exit-when-done', action='store_true')
ap.add_argument('--interval', type=float, default=0.5)
ap.add_argument('--upload-limit', type=int, default=0)
a = ap.parse_args()

s = lt.session({
    'listen_interfaces': '127.0.0.1:%d' % a.port,
    'outgoing_interfaces': '127.0.0.1',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'allow_multiple_connections_per_ip': True,
    'enable_outgoing_utp': False, 'enable_incoming_utp': False,
    'user_agent': 'libtorrent-interop',
    'upload_rate_limit': a.upload_limit,
})
if a.upload_limit:
    # libtorrent puts loopback and LAN peers in an unlimited class: put every address in the global one.
    f = lt.ip_filter()
    f.add_rule('0.0.0.0', '255.255.255.255', 1 << lt.session.global_peer_class_id)
    s.set_peer_class_filter(f)
if a.magnet:
    p = lt.parse_magnet_uri(a.magnet)
else:
    p = lt.add_torrent_params()
    p.ti = lt.torrent_info(a.torrent)
p.save_path = a.save
if a.mode == 'seed':
    p.flags |= lt.torrent_flags.seed_mode
start = time.time()
h = s.add_torrent(p)
print('LISTEN %d' % s.listen_port(), flush=True)
for peer in a.peer:
    host, port = peer.rsplit(':', 1)
    h.connect_peer((host, int(port)))
had_metadata = h.status().has_metadata
done = False
while True:
    st = h.status()
    if not had_metadata and st.has_metadata:
        had_metadata = True
        print('METADATA', flush=True)
    print('STATUS %.4f %d %d' % (st.progress, st.num_peers, st.total_wanted_done), flush=True)
    if a.mode == 'leech' and not done and st.is_seeding:
        done = True
        print('DONE %.3f' % (time.time() - start), flush=True)
        if a.exit_when_done:
            break
    # Peers given on the command line may not be up yet: keep trying them until connected.
    if st.num_peers == 0:
        for peer in a.peer:
            host, port = peer.rsplit(':', 1)
            h.connect_peer((host, int(port)))
    time.sleep(a.interval)
