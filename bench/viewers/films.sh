#!/usr/bin/env bash
# Makes the viewers benchmark's two films with Debian's ffmpeg into DIR (default /tmp/hypertube-viewers-films),
# unless they are already there. Never committed. 1080p23.976 H.264 at a near-constant 6 Mb/s (x264 veryfast,
# -maxrate 6M -bufsize 6M, a film-like GOP keyint=240:min-keyint=24), a moving test pattern with noise:
#   direct.mp4   H.264 + AAC stereo 160k, moov first (faststart)   -> plays directly (HTTP ranges)
#   remux.mkv    the same H.264 stream + AC-3 5.1 448k              -> remuxed to HLS (video copied, audio to AAC)
set -euo pipefail
dir=${1:-/tmp/hypertube-viewers-films}
seconds=${FILM_SECONDS:-300}
ff=(/usr/bin/ffmpeg -nostdin -hide_banner -loglevel error -y)
mkdir -p "$dir"
sines="sin(2*PI*440*t)*0.2|sin(2*PI*554*t)*0.2|sin(2*PI*659*t)*0.2|sin(2*PI*110*t)*0.2|sin(2*PI*330*t)*0.2|sin(2*PI*880*t)*0.2"
if [ ! -s "$dir/remux.mkv" ] || [ ! -s "$dir/direct.mp4" ]; then
  "${ff[@]}" -f lavfi -i "testsrc2=size=1920x1080:rate=24000/1001,noise=alls=8:allf=t+u" \
    -f lavfi -i "aevalsrc=${sines}:s=48000:c=5.1" -t "$seconds" -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -b:v 6M -maxrate 6M -bufsize 6M -profile:v high -level 4.1 -pix_fmt yuv420p \
    -x264-params keyint=240:min-keyint=24 -c:a ac3 -b:a 448k "$dir/.remux.mkv"
  "${ff[@]}" -i "$dir/.remux.mkv" -map 0:v -map 0:a -c:v copy -c:a aac -ac 2 -b:a 160k -movflags +faststart "$dir/.direct.mp4"
  mv "$dir/.remux.mkv" "$dir/remux.mkv"
  mv "$dir/.direct.mp4" "$dir/direct.mp4"
fi
ls -l "$dir"
