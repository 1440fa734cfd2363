#!/usr/bin/env bash
# Viewers benchmark (issue 21), one command from anywhere:
#   bench/viewers/run.sh [--kinds direct,remux] [--steps 10,20,35,50,70,100] [--remux-steps 2,4,5,10,20]
#                        [--seconds 60] [--pace 1.5] [--ahead 30] [--keep-going] [--max-remuxes N]
#                        [--instances 2 [--nginx-conf deploy/nginx/hypertube.conf]] [--chromium N]
# HOLD_BUILDS=1 holds the shared build lock (/tmp/hypertube-build.lock) while measuring, so that no one's
# Maven build runs on the machine meanwhile (keep such a run short: others wait); it waits HOLD_WAIT seconds
# (180) for the lock, then measures anyway and says so in the results (buildLock: held, busy or not-asked).
# Needs: Debian's ffmpeg and python3-libtorrent, Node 20+, Temurin 25, the server and CLI jars (built here
# under the build lock when missing); for --instances 2 also Debian's PostgreSQL (/work/tools/pg-start.sh) and nginx.
# Makes the two films once in $FILMS_DIR, runs bench.mjs in its own process group and kills that whole
# group on exit (also on failure or Ctrl-C), and stops the throwaway PostgreSQL. Results: results/last.json
# here (git-ignored: /bench/results/ and bench/viewers/results/) and the summary printed by summary.mjs.
# KEEP=1 keeps the work folder (server, seeder, tracker, nginx and client logs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../lib/groups.sh
. "$here/../lib/groups.sh"
films=${FILMS_DIR:-/tmp/hypertube-viewers-films}
java=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
for tool in /usr/bin/ffmpeg /usr/bin/python3 node "$java"; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
/usr/bin/python3 -c 'import libtorrent' || { echo "needs python3-libtorrent" >&2; exit 2; }
if [[ " $* " == *" --instances 2 "* ]]; then
  command -v /usr/sbin/nginx >/dev/null || { echo "needs nginx" >&2; exit 2; }
fi

jar=${HYPERTUBE_JAR:-$root/app/target/hypertube.jar}   # HYPERTUBE_JAR: measure another build of the server
if [ ! -f "$jar" ] || [ ! -f "$root/torrent/target/torrent-cli.jar" ]; then
  (cd "$root" && flock /tmp/hypertube-build.lock ./mvnw -q -B -o -pl app -am package -DskipTests)
fi
"$here/films.sh" "$films"

work=$(mktemp -d /tmp/hypertube-viewers-bench.XXXXXX)
pgid=""
cleanup() {
  status=$?
  # The server, seeders, tracker and the rest run in process groups of their own (bench.mjs lists them).
  kill_bench_groups "$pgid" "$work"
  # The throwaway PostgreSQL of --instances 2 runs as a daemon of its own.
  if [ -f "$work/pg-dir" ]; then
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$(cat "$work/pg-dir")/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$(cat "$work/pg-dir")"
  fi
  mkdir -p "$here/results" && cp "$work/results.json" "$here/results/last.json" 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "work folder kept: $work" >&2; fi
  exit $status
}
trap cleanup EXIT INT TERM
export BENCH_BUILD_LOCK=not-asked
if [ -n "${HOLD_BUILDS:-}" ]; then
  exec 9>/tmp/hypertube-build.lock
  echo "waiting up to ${HOLD_WAIT:-180} s for the build lock..."
  if flock -w "${HOLD_WAIT:-180}" 9; then
    BENCH_BUILD_LOCK=held; echo "build lock held from $(date -u +%H:%M:%S) until this run ends"
  else
    BENCH_BUILD_LOCK=busy; echo "the build lock stayed busy: measuring while others may build" >&2
  fi
fi
echo "work folder: $work (logs in $work/logs); server $jar, built $(date -u -r "$jar" +%FT%H:%MZ); HEAD $(git -C "$root" log -1 --format=%h 2>/dev/null || echo '?')"
# setsid: the benchmark and everything it starts share one process group.
setsid node "$here/bench.mjs" --films "$films" --work "$work" --jar "$jar" \
  --cli "$root/torrent/target/torrent-cli.jar" "$@" &
pgid=$!
wait "$pgid"
pgid_done=$pgid; pgid=""
kill -KILL -- "-$pgid_done" 2>/dev/null || true
node "$here/summary.mjs" "$work/results.json"
