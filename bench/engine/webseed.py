#!/usr/bin/python3
"""Race Hypertube's engine CLI against aria2 downloading one torrent from a web seed alone (BEP 19).

Debian's nginx serves the data on 127.0.0.1 (access log off, sendfile on); the torrent (1 GiB by
default, 1 MiB pieces) has that server in its url-list and no tracker, so the web seed is the only
source. Each client downloads it from scratch, several rounds, in turn. Reports wall time and CPU
seconds (user + sys of the downloader process tree) per GiB, the CPU nginx spent during each download,
and the ratios to aria2. Run from the repository root:

    /usr/bin/python3 bench/engine/webseed.py [--size-mib 1024] [--rounds 3] [--clients ours,aria2]

Needs: JDK 25 (bin/torrent builds the jar), nginx (/usr/sbin/nginx), aria2c.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from race import (TORRENT_CLI, cpu_seconds, free_port, make_data, print_medians, run_timed, same_file,  # noqa: E402
                  wait_for_port)

NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {work}/tmp;
    proxy_temp_path {work}/tmp;
    fastcgi_temp_path {work}/tmp;
    uwsgi_temp_path {work}/tmp;
    scgi_temp_path {work}/tmp;
    types {{ application/octet-stream bin; }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--size-mib', type=int, default=1024)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--clients', default='ours,aria2')
    ap.add_argument('--work', default='/tmp/hypertube-bench-webseed')
    ap.add_argument('--timeout', type=int, default=900)
    ap.add_argument('--cli', default=TORRENT_CLI)
    a = ap.parse_args()
    size = a.size_mib << 20
    clients = a.clients.split(',')
    os.makedirs(os.path.join(a.work, 'tmp'), exist_ok=True)
    root = os.path.join(a.work, 'www')
    os.makedirs(os.path.join(root, 'download'), exist_ok=True)
    data = os.path.join(root, 'download', 'film.bin')
    print('making %d MiB of random data...' % a.size_mib, file=sys.stderr)
    make_data(data, size)
    port = free_port()
    conf = os.path.join(a.work, 'nginx.conf')
    with open(conf, 'w') as f:
        f.write(NGINX_CONF.format(work=a.work, port=port, root=root))
    nginx = subprocess.Popen(['/usr/sbin/nginx', '-c', conf, '-p', a.work], stdout=open(os.path.join(a.work, 'nginx.log'), 'wb'),
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port)
        torrent = os.path.join(a.work, 'film.torrent')
        subprocess.run([a.cli, 'create', '--web-seed', 'http://127.0.0.1:%d/download/film.bin' % port,
                        '--piece-length', str(1 << 20), '-o', torrent, data], check=True, stdout=subprocess.DEVNULL)
        # Warm the page cache so that neither client pays for the first read of the data.
        subprocess.run(['cat', data], stdout=subprocess.DEVNULL, check=True)
        results = {c: [] for c in clients}
        for r in range(a.rounds):
            for c in clients:
                d = os.path.join(a.work, 'dl-' + c)
                shutil.rmtree(d, ignore_errors=True)
                os.makedirs(d)
                if c == 'ours':
                    cmd = [a.cli, 'download', '--no-dht', '--dir', d, '--bind', '127.0.0.1', '--port', '0', '--allow-local-web-seeds',
                           '--timeout', str(a.timeout), torrent]
                elif c == 'aria2':
                    cmd = ['aria2c', '--enable-dht=false', '--enable-dht6=false', '--bt-enable-lpd=false',
                           '--enable-peer-exchange=false', '--interface=127.0.0.1', '--disable-ipv6=true',
                           '--listen-port=%d' % free_port(), '--seed-time=0', '--file-allocation=none', '--no-conf=true',
                           '--console-log-level=warn', '--summary-interval=0', '--dir=' + d, torrent]
                else:
                    raise SystemExit('unknown client ' + c)
                nginx_before = cpu_seconds([nginx.pid])
                wall, cpu, code = run_timed(cmd, a.work, os.path.join(a.work, '%s-%d.log' % (c, r)), a.timeout)
                nginx_cpu = cpu_seconds([nginx.pid]) - nginx_before
                ok = code == 0 and same_file(data, os.path.join(d, 'film.bin'))
                print('round %d %-6s wall %7.2f s  cpu %7.2f s  nginx %5.2f s  %s'
                      % (r + 1, c, wall, cpu, nginx_cpu, 'ok' if ok else 'FAILED (exit %d)' % code), file=sys.stderr)
                results[c].append((wall, cpu, ok, nginx_cpu))
                shutil.rmtree(d, ignore_errors=True)
                time.sleep(2)
    finally:
        os.killpg(nginx.pid, signal.SIGTERM)
        nginx.wait(timeout=10)

    print_medians(results, clients, a.rounds, size, 'aria2', 'nginx CPU s/GiB')

if __name__ == '__main__':
    main()
