#!/usr/bin/env bash
# Playback benchmark (issues 6 and 22), one command from anywhere:
#   bench/playback/run.sh [--rounds 3] [--seeders 4] [--rate 2000000] [--played 60] [--only ours,peerflix,floor]
#                         [--kinds direct,remux,transcode] [--tests seek,bytes,scrub]
#                         [--tight 1.3] [--delay-ms 25] [--jar2 OTHER.jar --label2 main] [--jar THIS.jar]
# Variants (bench.mjs's header says more):
#   tight swarm:  --tight 1.3 --tests seek,bytes     all seeders together at 1.3x the film's bitrate; stalls in 60 s
#   scrub:        --tests seek,scrub                 five seeks 0.4 s apart vs one seek
#   latency:      --delay-ms 25                      50 ms round-trip to each seeder through relay.mjs (no netem here)
#   two engines:  --jar2 /tmp/hypertube-main.jar     a second server runs the same steps in the same run ("ours@main")
# Needs: Debian's ffmpeg, chromium and python3-libtorrent, Node 20 + npm, Temurin 25, the server and CLI
# jars (built here when missing). Makes the films once in $FILMS_DIR, runs bench.mjs in its own process
# group and kills that whole group on exit (also on failure or Ctrl-C). Results: results/last.json here
# (git-ignored) and the summary printed by summary.mjs. KEEP=1 keeps the work folder (logs: server, seeders, peerflix).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../lib/groups.sh
. "$here/../lib/groups.sh"
films=${FILMS_DIR:-/tmp/hypertube-playback-films}
java=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
for tool in /usr/bin/ffmpeg /usr/bin/chromium /usr/bin/python3 node npm "$java"; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
/usr/bin/python3 -c 'import libtorrent' || { echo "needs python3-libtorrent" >&2; exit 2; }

if [ ! -f "$root/app/target/hypertube.jar" ] || [ ! -f "$root/torrent/target/torrent-cli.jar" ]; then
  (cd "$root" && flock /tmp/hypertube-build.lock ./mvnw -q -B -o -pl app -am package -DskipTests)
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/peerflix" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
"$here/films.sh" "$films"

work=$(mktemp -d /tmp/hypertube-playback-bench.XXXXXX)
pgid=""
cleanup() {
  status=$?
  # The server, seeders, tracker and the rest run in process groups of their own (bench.mjs lists them).
  kill_bench_groups "$pgid" "$work"
  mkdir -p "$here/results" && cp "$work/results.json" "$here/results/last.json" 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then
    rm -rf "$work"
  else
    echo "work folder kept: $work" >&2
  fi
  exit $status
}
trap cleanup EXIT INT TERM
echo "work folder: $work (logs in $work/logs)"
# setsid: the benchmark and everything it starts (server, ffmpeg, seeders, tracker, peerflix, Chromium) share one process group.
setsid node "$here/bench.mjs" --films "$films" --work "$work" --jar "$root/app/target/hypertube.jar" \
  --cli "$root/torrent/target/torrent-cli.jar" "$@" &
pgid=$!
wait "$pgid"
pgid_done=$pgid; pgid=""
kill -KILL -- "-$pgid_done" 2>/dev/null || true
node "$here/summary.mjs" "$work/results.json"
