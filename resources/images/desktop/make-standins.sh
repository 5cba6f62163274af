#!/bin/sh
# Builds empty stand-in .deb packages into directory $1 (used by build-offline.sh
# and the Dockerfile). They satisfy dependencies the desktop never uses and keep
# the image small (~185 MB -> ~100 MB without them; +190 MB more for Mesa/LLVM):
#   libgl1-mesa-dri  Mesa DRI drivers + LLVM (libgl1 -> libglx-mesa0 pulls them in);
#                    Xtigervnc renders in software.
#   perl             full Perl (libperl + modules, ~47 MB), needed only by the
#                    `vncserver` wrapper; the image runs Xtigervnc directly.
#                    /usr/bin/perl from perl-base (essential) stays.
#   cpp              the C preprocessor (~34 MB, via x11-xserver-utils), used only
#                    by `xrdb` without -nocpp.
#   libasound2-plugins  ALSA-to-PulseAudio plugins; pulls in FFmpeg's libavcodec
#                    (~60 MB). Desktop programs here talk to PulseAudio directly.
# Version 99:0+daas1 keeps apt from "upgrading" them to the real packages.
set -eu
out="${1:?usage: make-standins.sh OUTDIR}"
arch="$(dpkg --print-architecture)"
mkdir -p "$out"
for spec in "libgl1-mesa-dri all no" "perl $arch allowed" "cpp $arch no" "libasound2-plugins $arch same"; do
    set -- $spec
    pkg="$1" pkgarch="$2" multiarch="$3"
    dir="$(mktemp -d)"
    mkdir -p "$dir/DEBIAN"
    {
        echo "Package: $pkg"
        echo "Version: 99:0+daas1"
        echo "Architecture: $pkgarch"
        [ "$multiarch" = no ] || echo "Multi-Arch: $multiarch"
        echo "Maintainer: DaaS Desktop <noreply@localhost>"
        echo "Priority: optional"
        echo "Section: misc"
        echo "Description: empty stand-in for $pkg (DaaS Desktop image)"
        echo " Satisfies dependencies of the DaaS desktop image without installing $pkg."
    } > "$dir/DEBIAN/control"
    chmod 755 "$dir" "$dir/DEBIAN"
    dpkg-deb --root-owner-group --build "$dir" "$out/${pkg}_standin_${pkgarch}.deb" >/dev/null
    chmod 644 "$out/${pkg}_standin_${pkgarch}.deb"
    rm -rf "$dir"
    echo "$out/${pkg}_standin_${pkgarch}.deb"
done
