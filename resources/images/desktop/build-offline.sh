#!/usr/bin/env bash
# Registry-free build of daas/desktop:latest: mmdebstrap builds a Debian bookworm
# root file system as a tar stream, `docker import` turns it into the image.
# Needs: root (or rights to use docker and mmdebstrap), mmdebstrap, dpkg-deb, docker,
# and access to a Debian mirror (MIRROR, default http://deb.debian.org/debian).
#
# The image gets the label daas.recipe=<sha256 of this directory's files>, the same
# hash scripts/ensure-desktop-image.sh checks.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGE="${IMAGE:-daas/desktop:latest}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
# Keep this list in sync with the Dockerfile.
PACKAGES="tigervnc-standalone-server,tigervnc-tools,twm,xterm,x11-xserver-utils,xfonts-base,procps,passwd"
HOOKS=/usr/share/mmdebstrap/hooks/file-mirror-automount

# Recipe hash: sha256 over "sha256  ./file" lines of all files here, sorted by name.
recipe_hash="$(cd "$here" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"

for tool in mmdebstrap dpkg-deb docker; do
    command -v "$tool" >/dev/null || { echo "build-offline: $tool not found" >&2; exit 1; }
done
[ -d "$HOOKS" ] || { echo "build-offline: $HOOKS missing (mmdebstrap too old?)" >&2; exit 1; }

work="$(mktemp -d /tmp/daas-desktop-build.XXXXXX)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# Empty stand-in for libgl1-mesa-dri: Xtigervnc needs libgl1, whose Mesa drivers
# (+ LLVM, ~190 MB) are useless in a software-only VNC server.
mkdir -p "$work/standin/DEBIAN"
cat > "$work/standin/DEBIAN/control" <<'CONTROL'
Package: libgl1-mesa-dri
Version: 99:0+daas1
Architecture: all
Maintainer: DaaS Desktop <noreply@localhost>
Priority: optional
Section: libs
Description: empty stand-in for the Mesa DRI drivers (DaaS Desktop image)
 The DaaS desktop renders in software only; no DRI drivers are needed.
CONTROL
dpkg-deb --root-owner-group --build "$work/standin" "$work/libgl1-mesa-dri_standin_all.deb" >/dev/null
chmod 644 "$work/libgl1-mesa-dri_standin_all.deb"

# Files copied into the image.
install -m 755 "$here/start-desktop.sh" "$work/start-desktop.sh"
install -m 644 "$here/twmrc" "$work/twmrc"

echo "build-offline: building $IMAGE (recipe $recipe_hash) from $MIRROR"
start=$(date +%s)
mmdebstrap \
    --variant=essential \
    --format=tar \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --hook-dir="$HOOKS" \
    --include="$PACKAGES" \
    --include="$work/libgl1-mesa-dri_standin_all.deb" \
    --customize-hook="mkdir -p \"\$1/usr/local/share/daas-desktop\"" \
    --customize-hook="upload $work/start-desktop.sh /usr/local/bin/start-desktop.sh" \
    --customize-hook="upload $work/twmrc /usr/local/share/daas-desktop/twmrc" \
    --customize-hook='chroot "$1" chmod 755 /usr/local/bin/start-desktop.sh' \
    --customize-hook='chroot "$1" chmod 644 /usr/local/share/daas-desktop/twmrc' \
    --customize-hook='chroot "$1" useradd --create-home --uid 1000 --user-group --shell /bin/bash desktop' \
    --customize-hook='mkdir -p "$1/tmp/.X11-unix" && chmod 1777 "$1/tmp/.X11-unix"' \
    --customize-hook='rm -f "$1/etc/hostname" "$1/etc/resolv.conf"' \
    "$SUITE" - "$MIRROR" \
| docker import \
    -c 'LABEL daas.recipe='"$recipe_hash" \
    -c 'LABEL org.opencontainers.image.title="DaaS Desktop (twm + xterm over TigerVNC)"' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'USER desktop' \
    -c 'WORKDIR /home/desktop' \
    -c 'EXPOSE 5901' \
    -c 'CMD ["/usr/local/bin/start-desktop.sh"]' \
    -m "daas desktop recipe $recipe_hash" \
    - "$IMAGE" >/dev/null
echo "build-offline: built $IMAGE in $(( $(date +%s) - start )) s"
