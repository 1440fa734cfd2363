# Sourced by the run.sh of the Node benchmarks (bench/playback, bench/viewers).
# kill_bench_groups PGID WORK: ends the benchmark's own process group (TERM, then KILL) and every process
# group it listed in WORK/pids (servers, seeders, tracker, ...), which run in groups of their own.
kill_bench_groups() {
  local pgid=$1 work=$2 p
  if [ -n "$pgid" ]; then kill -TERM -- "-$pgid" 2>/dev/null || true; sleep 2; kill -KILL -- "-$pgid" 2>/dev/null || true; fi
  if [ -f "$work/pids" ]; then
    while read -r p; do kill -KILL -- "-$p" 2>/dev/null || true; done < "$work/pids"
  fi
}
