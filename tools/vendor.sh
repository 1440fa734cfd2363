#!/usr/bin/env bash
# Copies the browser libraries of app/frontend (installed from its package-lock.json with npm ci) into
# app/src/main/resources/static/vendor/<name>-<version>/ with their licences. The copies are committed:
# the server runs offline and never needs npm. Run after changing app/frontend/package.json, then
# update the <script>/<link> addresses in the templates if a version changed.
set -euo pipefail
cd "$(dirname "$0")/../app/frontend"
npm ci --ignore-scripts --no-audit --no-fund
vendor=../src/main/resources/static/vendor

version() { node -p "require('./node_modules/$1/package.json').version"; }

# copy PACKAGE FILE... : the files (paths inside the package) and its licence into vendor/PACKAGE-VERSION/
copy() {
  local name=$1; shift
  local dir="$vendor/$name-$(version "$name")"
  rm -rf "$vendor/$name"-*/
  mkdir -p "$dir"
  for f in "$@"; do cp "node_modules/$name/$f" "$dir/"; done
  # no source maps are shipped: the comment pointing at one would only make a browser ask for it
  sed -i '/^\/\/# sourceMappingURL=/d' "$dir"/*.js
  cp node_modules/"$name"/LICENSE* "$dir/"
  echo "vendored $dir"
}

# hls.js: the light build (no subtitles/DRM/alt-audio code); the player runs it with the worker off (CSP).
copy hls.js dist/hls.light.min.js
# Plyr: the build without polyfills, its stylesheet and icon sprite (loaded from our own address).
copy plyr dist/plyr.min.js dist/plyr.css dist/plyr.svg
