#!/usr/bin/env bash
# Makes sure daas/desktop:latest exists and matches the recipe in
# resources/images/desktop (label daas.recipe == sha256 of the recipe files).
# Order: image already up to date -> cached `docker save` archive -> offline build
# (resources/images/desktop/build-offline.sh, needs root and a Debian mirror),
# whose result is then cached in ${DAAS_CACHE_DIR:-$HOME/.cache/daas-desktop}.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
recipe_dir="$repo/resources/images/desktop"
image="daas/desktop:latest"
cache_dir="${DAAS_CACHE_DIR:-$HOME/.cache/daas-desktop}"
start=$(date +%s.%N)

elapsed() { awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f s", e - s }'; }

# Same formula as build-offline.sh and the README.
hash="$(cd "$recipe_dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
cache_file="$cache_dir/desktop-$hash.tar.gz"

current_label() {
    docker image inspect --format '{{ index .Config.Labels "daas.recipe" }}' "$image" 2>/dev/null || true
}

if [ "$(current_label)" = "$hash" ]; then
    echo "ensure-desktop-image: $image is up to date (recipe ${hash:0:12}), $(elapsed)"
    exit 0
fi

if [ -f "$cache_file" ]; then
    echo "ensure-desktop-image: loading $image from $cache_file"
    if gzip -dc "$cache_file" | docker load >/dev/null && [ "$(current_label)" = "$hash" ]; then
        echo "ensure-desktop-image: loaded $image (recipe ${hash:0:12}) from cache in $(elapsed)"
        exit 0
    fi
    echo "ensure-desktop-image: cache file unusable, removing it and rebuilding" >&2
    rm -f "$cache_file"
fi

echo "ensure-desktop-image: building $image (recipe ${hash:0:12}) with build-offline.sh"
"$recipe_dir/build-offline.sh"
if [ "$(current_label)" != "$hash" ]; then
    echo "ensure-desktop-image: built image has label '$(current_label)', expected $hash" >&2
    exit 1
fi

mkdir -p "$cache_dir"
tmp="$(mktemp "$cache_dir/.desktop-$hash.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
docker save "$image" | gzip -1 > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$cache_file"
trap - EXIT
# Drop archives of older recipes.
find "$cache_dir" -maxdepth 1 -name 'desktop-*.tar.gz' ! -name "desktop-$hash.tar.gz" -delete
echo "ensure-desktop-image: built $image and cached it as $cache_file ($(du -h "$cache_file" | cut -f1)) in $(elapsed)"
