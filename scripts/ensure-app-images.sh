#!/usr/bin/env bash
# Makes sure the app images of the given recipes (default: base editor, what CI tests)
# exist and match resources/images/<recipe>. daas/base is built offline (mmdebstrap |
# docker import, resources/images/base/build-offline.sh; needs root and a Debian mirror);
# the others are Dockerfiles FROM it (`docker build`, apt inside, no registry).
# Label daas.recipe: base = sha256 of its folder's files; an app image = sha256 of its
# folder's and base's files, so a change to the base rebuilds the app images too.
# Order per run: all up to date -> cached `docker save` archive -> build, then cache it
# in ${DAAS_CACHE_DIR:-$HOME/.cache/daas-desktop}. Prints each build's time and size.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images_dir="$repo/resources/images"
cache_dir="${DAAS_CACHE_DIR:-$HOME/.cache/daas-desktop}"
recipes=("$@")
[ "${#recipes[@]}" -gt 0 ] || recipes=(base editor)
say() { echo "ensure-app-images: $*"; }

# Same formula as build-offline.sh: sha256 over sorted "sha256  ./path" lines.
hash_of() {  # folders under resources/images
    (cd "$images_dir" && find "$@" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}
want_hash() { if [ "$1" = base ]; then (cd "$images_dir/base" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1); else hash_of base "$1"; fi; }
label_of() { docker image inspect --format '{{ index .Config.Labels "daas.recipe" }}' "daas/$1:latest" 2>/dev/null || true; }
up_to_date() { [ "$(label_of "$1")" = "$(want_hash "$1")" ]; }

# base first: the others build on it
ordered=(base)
for r in "${recipes[@]}"; do
    [ -f "$images_dir/$r/Dockerfile" ] || { echo "ensure-app-images: no recipe resources/images/$r" >&2; exit 1; }
    [ "$r" = base ] || ordered+=("$r")
done

all_current() { for r in "${ordered[@]}"; do up_to_date "$r" || return 1; done; }
set_hash="$(for r in "${ordered[@]}"; do want_hash "$r"; done | sha256sum | cut -d' ' -f1)"
cache_name="apps-$(IFS=-; echo "${ordered[*]}")"
cache_file="$cache_dir/$cache_name-$set_hash.tar.gz"

if all_current; then
    say "${ordered[*]}: up to date"
    exit 0
fi
if [ -f "$cache_file" ]; then
    say "loading ${ordered[*]} from $cache_file"
    if gzip -dc "$cache_file" | docker load >/dev/null && all_current; then
        say "loaded from cache"
        exit 0
    fi
    echo "ensure-app-images: cache file unusable, removing it and rebuilding" >&2
    rm -f "$cache_file"
fi

for r in "${ordered[@]}"; do
    up_to_date "$r" && { say "daas/$r:latest is up to date"; continue; }
    start=$(date +%s)
    if [ "$r" = base ]; then
        "$images_dir/base/build-offline.sh"
    else
        log="${TMPDIR:-/tmp}/daas-$r-build.log"
        say "building daas/$r:latest (log: $log)"
        if ! docker build -t "daas/$r:latest" --build-arg DAAS_RECIPE="$(want_hash "$r")" "$images_dir/$r" >"$log" 2>&1; then
            tail -n 30 "$log" >&2
            echo "ensure-app-images: building daas/$r:latest failed, see $log" >&2
            exit 1
        fi
    fi
    up_to_date "$r" || { echo "ensure-app-images: daas/$r:latest has label '$(label_of "$r")', expected $(want_hash "$r")" >&2; exit 1; }
    say "built daas/$r:latest in $(( $(date +%s) - start )) s, $(docker image inspect --format '{{.Size}}' "daas/$r:latest" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
done

mkdir -p "$cache_dir"
tmp="$(mktemp "$cache_dir/.$cache_name.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
docker save $(for r in "${ordered[@]}"; do echo "daas/$r:latest"; done) | gzip -1 > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$cache_file"
trap - EXIT
find "$cache_dir" -maxdepth 1 -name "$cache_name-*.tar.gz" ! -name "$cache_name-$set_hash.tar.gz" -delete
say "cached ${ordered[*]} as $cache_file ($(du -h "$cache_file" | cut -f1))"
