#!/usr/bin/env bash
# Freezes the current engine CLI jar under DIR (default /tmp/hypertube-cli/<short commit>) with a
# launcher using bin/torrent's JVM flags, so race.py --cli DIR/torrent can run while the sources
# change (bin/torrent itself rebuilds the jar when a source file is newer).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:-/tmp/hypertube-cli/$(git -C "$root" rev-parse --short HEAD)}"
mkdir -p "$dir"
"$root/bin/torrent" info --help >/dev/null 2>&1 || true   # builds the jar when it is stale
cp "$root/torrent/target/torrent-cli.jar" "$dir/torrent-cli.jar"
java_bin="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
cat > "$dir/torrent" <<LAUNCH
#!/usr/bin/env bash
exec "$java_bin" -XX:+UseSerialGC -XX:PretenureSizeThreshold=262144 \\
  -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$dir/torrent-cli.jsa" \\
  \${TORRENT_JAVA_OPTS:-} -jar "$dir/torrent-cli.jar" "\$@"
LAUNCH
chmod +x "$dir/torrent"
echo "$dir/torrent"
