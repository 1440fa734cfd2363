#!/usr/bin/python3
"""A libtorrent 2.0 seeder on loopback for the playback benchmark, with an upload counter.

usage: seeder.py --save DIR --torrent FILE --upload-limit BYTES_PER_SECOND --stats FILE [--no-announce]
Checks the data first (no seed_mode: no hashing on the first request of each piece), then prints
'LISTEN <port>'; writes its total payload upload (bytes) to --stats every 0.2 s (atomic rename).
DHT, LSD, UPnP, NAT-PMP and uTP are off; loopback peers are put in the rate-limited class
(as torrent/src/test/resources/interop/lt_peer.py --upload-limit).
--no-announce: the torrent's trackers are dropped, so the seeder neither announces nor learns (and
dials) peers: others reach it only through whatever address the benchmark announces for it (the
delay relay of the latency variant).
"""
import argparse
import os
import signal
import sys
import time

import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument('--save', required=True)
ap.add_argument('--torrent', required=True)
ap.add_argument('--upload-limit', type=int, default=0)
ap.add_argument('--stats', required=True)
ap.add_argument('--no-announce', action='store_true')
a = ap.parse_args()

s = lt.session({
    'listen_interfaces': '127.0.0.1:0',
    'outgoing_interfaces': '127.0.0.1',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'allow_multiple_connections_per_ip': True,
    'enable_outgoing_utp': False, 'enable_incoming_utp': False,
    'user_agent': 'bench-seeder',
    'upload_rate_limit': a.upload_limit,
    'announce_to_all_trackers': True,
    'alert_mask': 0,
})
if a.upload_limit:
    f = lt.ip_filter()
    f.add_rule('0.0.0.0', '255.255.255.255', 1 << lt.session.global_peer_class_id)
    s.set_peer_class_filter(f)
p = lt.add_torrent_params()
if a.no_announce:
    with open(a.torrent, 'rb') as f:
        meta = lt.bdecode(f.read())
    meta.pop(b'announce', None)
    meta.pop(b'announce-list', None)
    p.ti = lt.torrent_info(meta)
else:
    p.ti = lt.torrent_info(a.torrent)
p.save_path = a.save
h = s.add_torrent(p)
deadline = time.time() + 120
while not h.status().is_seeding:
    if time.time() > deadline:
        sys.exit('seeder: data did not check complete: progress %.3f' % h.status().progress)
    time.sleep(0.05)
if not a.no_announce:
    h.force_reannounce()
print('LISTEN %d' % s.listen_port(), flush=True)
stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
tmp = a.stats + '.tmp'
while not stop:
    st = h.status()
    with open(tmp, 'w') as out:
        out.write('%d %d\n' % (st.total_payload_upload, st.num_peers))
    os.replace(tmp, a.stats)
    time.sleep(0.2)
