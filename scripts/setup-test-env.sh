#!/usr/bin/env bash
# Idempotent test-environment setup for a Debian/Ubuntu machine (run as root, or as
# a user with sudo): installs missing packages, starts dockerd if Docker does not
# answer, makes sure the daas/desktop image exists (scripts/ensure-desktop-image.sh)
# and the app images CI tests: daas/base, daas/editor (scripts/ensure-app-images.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "setup-test-env: $*"; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "setup-test-env: must run as root (or with sudo available)" >&2
        exit 1
    fi
fi

# 1. Debian packages
packages=(docker.io chromium tigervnc-standalone-server tigervnc-tools mmdebstrap
          x11-xserver-utils netcat-openbsd iptables qemu-system-x86 xclip x11-apps xterm
          openssh-server openssh-client docker-registry)
missing=()
for pkg in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)" != "ii " ]; then
        # A browser from elsewhere (e.g. Ubuntu's chromium-browser) will do.
        if [ "$pkg" = chromium ] && command -v chromium-browser >/dev/null 2>&1; then continue; fi
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    apt=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
    log=/tmp/daas-setup-apt.log
    if ! { "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "setup-test-env: apt-get failed, see $log" >&2
        exit 1
    fi
else
    say "packages: all present"
fi

# 2. Docker daemon
docker_ok() { "${SUDO[@]}" docker info >/dev/null 2>&1; }
dockerd_pid=""
start_dockerd() {  # $1 = storage driver
    local log=/var/log/daas-dockerd.log
    say "starting dockerd --storage-driver=$1 (log: $log)"
    dockerd_pid="$("${SUDO[@]}" sh -c "nohup dockerd --storage-driver=$1 >>$log 2>&1 </dev/null & echo \$!")"
    for _ in $(seq 1 60); do
        docker_ok && return 0
        # exited already? (e.g. overlay2 unsupported on this file system)
        kill -0 "$dockerd_pid" 2>/dev/null || "${SUDO[@]}" kill -0 "$dockerd_pid" 2>/dev/null || return 1
        sleep 0.5
    done
    return 1
}
if docker_ok; then
    say "docker: running"
else
    if ! start_dockerd overlay2; then
        say "dockerd with overlay2 failed, trying vfs"
        if "${SUDO[@]}" kill "$dockerd_pid" 2>/dev/null; then
            for _ in $(seq 1 20); do "${SUDO[@]}" kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
        fi
        start_dockerd vfs || { echo "setup-test-env: dockerd did not start, see /var/log/daas-dockerd.log" >&2; exit 1; }
    fi
    say "docker: started (pid $dockerd_pid)"
fi
if [ "${#SUDO[@]}" -gt 0 ] && ! docker info >/dev/null 2>&1; then
    say "note: $(id -un) cannot use the Docker socket; add it to the docker group"
fi

# 3. The desktop image
"${SUDO[@]}" env DAAS_CACHE_DIR="${DAAS_CACHE_DIR:-$HOME/.cache/daas-desktop}" \
    bash "$repo/scripts/ensure-desktop-image.sh"

# 4. The app images CI tests (daas/base, daas/editor; scripts/ensure-app-images.sh)
"${SUDO[@]}" env DAAS_CACHE_DIR="${DAAS_CACHE_DIR:-$HOME/.cache/daas-desktop}" \
    bash "$repo/scripts/ensure-app-images.sh"
