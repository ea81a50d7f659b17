#!/usr/bin/env bash
# System packages PostDesk needs on Debian/Ubuntu: Qt's and QtWebEngine's libraries
# (offscreen and on X11), Japanese fonts, Xvfb and tools to look at a window, and
# Jekyll (the preview is compared against what Debian's jekyll builds), and binutils
# (PyInstaller needs objdump to build the bundle: packaging/build.py, tests/packaging).
# Run as root (or with sudo). Safe to run again: installs only what is missing.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PACKAGES=(
  libasound2 libbrotli1 libdbus-1-3 libegl1 libfontconfig1 libfreetype6 libgbm1 libgl1
  libglib2.0-0 libnspr4 libnss3 libx11-6 libxcb-dri3-0 libxcb1 libxcomposite1 libxdamage1
  libxext6 libxfixes3 libxkbcommon0 libxkbfile1 libxrandr2 libxtst6
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1
  fonts-noto-cjk xvfb xdotool imagemagick jekyll git binutils
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
