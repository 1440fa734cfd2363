#!/usr/bin/env bash
# Freezes the current engine CLI jar under DIR (default /tmp/hypertube-cli/<short commit>) with a
# copy of bin/torrent as its launcher, so race.py --cli DIR/torrent can run while the sources
# change (bin/torrent itself rebuilds the jar when a source file is newer). The launcher trains the
# snapshot's own ahead-of-time cache once, here, before any timed run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:-/tmp/hypertube-cli/$(git -C "$root" rev-parse --short HEAD)}"
mkdir -p "$dir"
"$root/bin/torrent" info --help >/dev/null 2>&1 || true   # builds the jar when it is stale
cp "$root/torrent/target/torrent-cli.jar" "$dir/torrent-cli.jar"
cp "$root/bin/torrent" "$dir/launch"
cat > "$dir/torrent" <<LAUNCH
#!/usr/bin/env bash
TORRENT_JAR="$dir/torrent-cli.jar" exec "$dir/launch" "\$@"
LAUNCH
chmod +x "$dir/torrent" "$dir/launch"
"$dir/torrent" info --help >/dev/null 2>&1 || true       # trains the ahead-of-time cache
echo "$dir/torrent"
