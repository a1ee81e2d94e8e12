#!/usr/bin/env bash
# Regenerates the app icons in assets/icons/ from a drawn master (ImageMagick 6).
# The PNGs are committed; run this only to change the mark.
set -euo pipefail
cd "$(dirname "$0")/.."

out=assets/icons
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
mkdir -p "$out"
master=$(mktemp --suffix=.png)
trap 'rm -f "$master"' EXIT

# A rounded square in a calm teal, a white "B", and a small amber dot (a coin).
convert -size 1024x1024 xc:none \
  -fill '#1f5f66' -draw 'roundrectangle 64,64 959,959 200,200' \
  -fill white -font "$font" -pointsize 640 -gravity center -annotate +0+10 'B' \
  -fill '#f2b544' -draw 'circle 770,770 770,842' \
  "$master"

convert "$master" -resize 512x512 -strip -depth 8 "PNG32:$out/icon.png"
convert "$master" -resize 256x256 -strip -depth 8 "PNG32:$out/128x128@2x.png"
convert "$master" -resize 128x128 -strip -depth 8 "PNG32:$out/128x128.png"
convert "$master" -resize 32x32 -strip -depth 8 "PNG32:$out/32x32.png"
