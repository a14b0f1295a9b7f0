#!/bin/sh
# `make run`: opens the viewer when there is a display to open it on; otherwise renders
# the map headless (EGL, no X server) to ./baicheng.png, so the command still shows
# something on a server or in CI.
# Usage: tools/run-viewer.sh BUILD_DIR
set -eu

build_dir=${1:-build}
bcmap="$build_dir/bcmap"
if [ ! -x "$bcmap" ]; then
  echo "run-viewer: $bcmap not found; build first (make build)" >&2
  exit 2
fi

have_display() {
  [ -n "${WAYLAND_DISPLAY:-}" ] && return 0
  [ -n "${DISPLAY:-}" ] || return 1
  # xdpyinfo (x11-utils) tells a live X server from a stale $DISPLAY.
  command -v xdpyinfo >/dev/null 2>&1 || return 0
  xdpyinfo >/dev/null 2>&1
}

if have_display; then
  exec "$bcmap"
fi

echo "bcmap: no display available; rendering baicheng.png with bcmap render instead"
"$bcmap" render --out baicheng.png
echo "$(pwd)/baicheng.png"
