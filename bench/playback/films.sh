#!/usr/bin/env bash
# Makes the benchmark's three films with Debian's ffmpeg into DIR (default /tmp/hypertube-playback-films),
# unless they are already there. Never committed. 720p23.976 H.264 ~4 Mb/s with a film-like GOP
# (x264 keyint=240:min-keyint=24), a moving test pattern with noise:
#   direct.mp4   H.264 + AAC stereo, moov first (faststart)     -> plays directly
#   remux.mkv    the same H.264 stream + AC-3 5.1                -> remuxed to HLS (AC-3 is silent in Chromium)
#   hevc.mkv     HEVC (libx265 ultrafast) + AAC, shorter         -> transcoded to H.264 HLS
set -euo pipefail
dir=${1:-/tmp/hypertube-playback-films}
seconds=${FILM_SECONDS:-360}
hevc_seconds=${HEVC_SECONDS:-180}
ff=(/usr/bin/ffmpeg -nostdin -hide_banner -loglevel error -y)
mkdir -p "$dir"
video=(-f lavfi -i "testsrc2=size=1280x720:rate=24000/1001,noise=alls=10:allf=t+u")
sines="sin(2*PI*440*t)*0.2|sin(2*PI*554*t)*0.2|sin(2*PI*659*t)*0.2|sin(2*PI*110*t)*0.2|sin(2*PI*330*t)*0.2|sin(2*PI*880*t)*0.2"
if [ ! -s "$dir/direct.mp4" ]; then
  "${ff[@]}" "${video[@]}" -f lavfi -i "aevalsrc=${sines}:s=48000:c=5.1" -t "$seconds" -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -b:v 4M -maxrate 6M -bufsize 8M -profile:v high -level 4.1 -pix_fmt yuv420p \
    -x264-params keyint=240:min-keyint=24 -c:a ac3 -b:a 448k "$dir/.h264_ac3.mkv"
  "${ff[@]}" -i "$dir/.h264_ac3.mkv" -map 0:v -map 0:a -c:v copy -c:a aac -ac 2 -b:a 160k -movflags +faststart "$dir/.direct.mp4"
  mv "$dir/.h264_ac3.mkv" "$dir/remux.mkv"
  mv "$dir/.direct.mp4" "$dir/direct.mp4"
fi
if [ ! -s "$dir/remux.mkv" ]; then
  "${ff[@]}" -i "$dir/direct.mp4" -f lavfi -i "aevalsrc=${sines}:s=48000:c=5.1" -t "$seconds" -map 0:v -map 1:a \
    -c:v copy -c:a ac3 -b:a 448k "$dir/.remux.mkv" && mv "$dir/.remux.mkv" "$dir/remux.mkv"
fi
if [ ! -s "$dir/hevc.mkv" ]; then
  "${ff[@]}" "${video[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$hevc_seconds" -map 0:v -map 1:a \
    -c:v libx265 -preset ultrafast -b:v 3M -pix_fmt yuv420p -x265-params keyint=240:min-keyint=24:log-level=error \
    -c:a aac -b:a 128k "$dir/.hevc.mkv" && mv "$dir/.hevc.mkv" "$dir/hevc.mkv"
fi
ls -l "$dir"
