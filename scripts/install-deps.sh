#!/usr/bin/env bash
# scripts/install-deps.sh - install the Debian 12 packages scsim needs, only those missing.
# Runs apt-get as root, through sudo otherwise. Does nothing when everything is present.
# Usage: scripts/install-deps.sh
set -euo pipefail

pkgs=(build-essential pkg-config libgsl-dev libsqlite3-dev sqlite3 libinih-dev libcmocka-dev
      libcairo2-dev libpango1.0-dev fontconfig fonts-dejavu-core poppler-utils
      libopenmpi-dev openmpi-bin clang libclang-rt-14-dev libomp-14-dev
      libmicrohttpd-dev libjansson-dev chromium chromium-driver python3-selenium
      python3-pandas r-cran-rsqlite r-cran-dbi time)
for arg in "$@"; do
    case "$arg" in
        --with-plots) ;;   # plots are part of the default set now
        --with-mpi)   ;;   # MPI is part of the default set now
        -h|--help)    sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-deps: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

missing=()
for p in "${pkgs[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
apt=("${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300)
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
