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
SECURITY_MIRROR="${SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
SUITE=bookworm
# Keep this list in sync with the Dockerfile (passwd, for useradd, is already in
# debian:bookworm-slim).
PACKAGES="tigervnc-standalone-server,tigervnc-tools,twm,xterm,x11-xserver-utils,xclip,xfonts-base,procps,passwd,pulseaudio,pulseaudio-utils"
HOOKS=/usr/share/mmdebstrap/hooks

# Recipe hash: sha256 over "sha256  ./file" lines of all files here, sorted by name.
recipe_hash="$(cd "$here" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"

for tool in mmdebstrap dpkg-deb docker; do
    command -v "$tool" >/dev/null || { echo "build-offline: $tool not found" >&2; exit 1; }
done
for hook in merged-usr file-mirror-automount; do
    [ -d "$HOOKS/$hook" ] || { echo "build-offline: $HOOKS/$hook missing (mmdebstrap too old?)" >&2; exit 1; }
done

work="$(mktemp -d /tmp/daas-desktop-build.XXXXXX)"
cleanup() {
    # If mmdebstrap fails before its file-mirror-automount customize hook runs, the
    # stand-in .debs stay bind-mounted inside its left-over temporary chroot.
    local target root
    while read -r target; do
        case "$target" in */mmdebstrap.*"$work"/*) ;; *) continue ;; esac
        umount "$target" 2>/dev/null || true
        root="${target%%"$work"/*}"
        if ! findmnt -rn -o TARGET | grep -q "^$root/"; then rm -rf "$root"; fi
    done < <(findmnt -rn -o TARGET 2>/dev/null | grep -F -- "$work/" || true)
    rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"   # mmdebstrap in unshare mode must be able to read the .debs

# Empty stand-in packages (libgl1-mesa-dri, perl, cpp): see make-standins.sh.
standin_args=()
while IFS= read -r deb; do
    standin_args+=("--include=$deb")
done < <(sh "$here/make-standins.sh" "$work/standins")

# Files copied into the image.
install -m 755 "$here/start-desktop.sh" "$work/start-desktop.sh"
install -m 644 "$here/twmrc" "$work/twmrc"
install -m 644 "$here/pulse.pa" "$work/pulse.pa"

# Hooks: merged-usr sets up the /usr symlinks and installs usr-is-merged (as
# debootstrap does; otherwise apt picks usrmerge, which drags in Perl);
# file-mirror-automount makes the local stand-in .debs visible inside the chroot.
log="${BUILD_LOG:-${TMPDIR:-/tmp}/daas-desktop-build.log}"
echo "build-offline: building $IMAGE (recipe $recipe_hash) from $MIRROR, log: $log"
start=$(date +%s)
old_id="$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
# Import untagged first; tag only if mmdebstrap succeeded, so a half-written tar
# never becomes $IMAGE (with a matching daas.recipe label).
new_id="$( { mmdebstrap \
    --variant=essential \
    --format=tar \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --hook-dir="$HOOKS/merged-usr" \
    --hook-dir="$HOOKS/file-mirror-automount" \
    --include="$PACKAGES" \
    "${standin_args[@]}" \
    --customize-hook="mkdir -p \"\$1/usr/local/share/daas-desktop\"" \
    --customize-hook="upload $work/start-desktop.sh /usr/local/bin/start-desktop.sh" \
    --customize-hook="upload $work/twmrc /usr/local/share/daas-desktop/twmrc" \
    --customize-hook='chroot "$1" chmod 755 /usr/local/bin/start-desktop.sh' \
    --customize-hook="upload $work/pulse.pa /usr/local/share/daas-desktop/pulse.pa" \
    --customize-hook='chroot "$1" chmod 644 /usr/local/share/daas-desktop/twmrc /usr/local/share/daas-desktop/pulse.pa' \
    --customize-hook='chroot "$1" useradd --create-home --uid 1000 --user-group --shell /bin/bash desktop' \
    --customize-hook="find \"\$1$work\" -type f -empty -delete; find \"\$1$work\" -depth -type d -empty -delete" \
    --customize-hook='mkdir -m 1777 "$1/tmp/.X11-unix"' \
    --skip=cleanup/tmp \
    --customize-hook='rm -f "$1/etc/hostname" "$1/etc/resolv.conf"' \
    "$SUITE" - \
    "deb $MIRROR $SUITE main" \
    "deb $MIRROR $SUITE-updates main" \
    "deb $SECURITY_MIRROR $SUITE-security main" \
    2>"$log" || echo "$?" > "$work/mmdebstrap.failed"; } \
| docker import \
    -c 'LABEL daas.recipe='"$recipe_hash" \
    -c 'LABEL org.opencontainers.image.title="DaaS Desktop (twm + xterm over TigerVNC, PulseAudio)"' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENV PULSE_SERVER=unix:/tmp/pulse/native' \
    -c 'USER desktop' \
    -c 'WORKDIR /home/desktop' \
    -c 'EXPOSE 5901' \
    -c 'CMD ["/usr/local/bin/start-desktop.sh"]' \
    -m "daas desktop recipe $recipe_hash" \
    - )"
if [ -e "$work/mmdebstrap.failed" ]; then
    docker rmi "$new_id" >/dev/null 2>&1 || true
    tail -n 40 "$log" >&2
    echo "build-offline: mmdebstrap failed (exit $(cat "$work/mmdebstrap.failed")), see $log" >&2
    exit 1
fi
docker tag "$new_id" "$IMAGE"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true   # fails harmlessly while containers use it
fi
echo "build-offline: built $IMAGE ($(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')) in $(( $(date +%s) - start )) s"
