#!/usr/bin/env bash
# Installs the Debian 12 packages chat-server builds and tests with (`deps.sh test`: also what only
# the tests need: Chromium for the browser client's test, discord.py for its end-to-end test). Does
# nothing when they are all present already; needs root (apt-get) only when something is missing.
set -euo pipefail
PKGS=(build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpq-dev libsqlite3-dev libhiredis-dev libargon2-dev libsodium-dev libssl-dev zlib1g-dev libre2-dev
  libcurl4-openssl-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev clang-format
  postgresql-15 redis-server python3 curl)
[ "${1:-}" = test ] && PKGS+=(chromium python3-discord)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The discord.js end-to-end test needs Node.js and npm; machines that already have them (this
# project's come with Node.js 20) keep theirs.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages: ${missing[*]} (run as root, or install them with apt-get)" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
