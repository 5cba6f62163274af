#!/bin/sh
# DaaS Desktop - start script of the built-in "Linux desktop" image (daas/desktop).
#
# Starts TigerVNC's X server (Xtigervnc) on display :1 / port 5901 and, once the
# display answers, twm plus one xterm (restarted whenever it exits).
# Xtigervnc is exec'd last so it is PID 1 and `docker stop` is instant.
#
# Environment:
#   VNC_PASSWORD    VNC password (VncAuth; only the first 8 characters count).
#                   Empty or unset: no VNC authentication (SecurityTypes None).
#   DESKTOP_WIDTH   screen width in pixels  (default 1280)
#   DESKTOP_HEIGHT  screen height in pixels (default 800)
#   AUDIO_TCP_PORT  if set, PulseAudio also listens on this TCP port (native protocol) for
#                   guacd's audio-servername; publish it on 127.0.0.1 only. Only the
#                   container's default gateway (where the published port's connections
#                   come from) and AUDIO_TCP_ALLOW may connect, without a cookie.
#   AUDIO_TCP_ALLOW more addresses or networks that may (e.g. 172.20.0.2/32;10.0.0.0/24).
set -eu

DESKTOP_USER=desktop
DISPLAY_NUM=1
VNC_PORT=5901
TWMRC=/usr/local/share/daas-desktop/twmrc
PULSE_PA=/usr/local/share/daas-desktop/pulse.pa
XTERM_GEOMETRY=100x30+0+0

# Started as root (e.g. `docker run --user root`)? Drop to the desktop user,
# keeping the environment (VNC_PASSWORD, DESKTOP_*).
if [ "$(id -u)" = 0 ] && id "$DESKTOP_USER" >/dev/null 2>&1; then
    exec setpriv --reuid="$DESKTOP_USER" --regid="$DESKTOP_USER" --init-groups \
        env HOME="/home/$DESKTOP_USER" USER="$DESKTOP_USER" LOGNAME="$DESKTOP_USER" \
        /bin/sh "$0" "$@"
fi

width="${DESKTOP_WIDTH:-1280}"
height="${DESKTOP_HEIGHT:-800}"
case "$width" in ''|*[!0-9]*) echo "start-desktop: invalid DESKTOP_WIDTH, using 1280" >&2; width=1280 ;; esac
case "$height" in ''|*[!0-9]*) echo "start-desktop: invalid DESKTOP_HEIGHT, using 800" >&2; height=800 ;; esac

USER="$(id -un 2>/dev/null || echo "$DESKTOP_USER")"
export USER LOGNAME="$USER"
export HOME="${HOME:-/home/$DESKTOP_USER}"
[ -d "$HOME" ] && [ -w "$HOME" ] || export HOME=/tmp
export SHELL=/bin/bash
cd "$HOME"

# VNC security. The password goes only into a private file, never to the log.
umask 077
if [ -n "${VNC_PASSWORD:-}" ]; then
    pwdir="$(mktemp -d /tmp/daas-vnc.XXXXXX)"
    printf '%s\n' "$VNC_PASSWORD" | tigervncpasswd -f > "$pwdir/passwd"
    set -- -SecurityTypes VncAuth -PasswordFile "$pwdir/passwd"
    echo "start-desktop: VNC authentication: VncAuth (password set)"
else
    set -- -SecurityTypes None
    echo "start-desktop: VNC authentication: None (VNC_PASSWORD empty)"
fi
# Don't hand the password down to the desktop session's processes.
unset VNC_PASSWORD
umask 022

# Sound server (restarted if it dies). Its own realtime/priority tweaks need rights a
# container lacks; the idle exit is off so the socket stays put.
mkdir -p /tmp/pulse
audio_tcp="${AUDIO_TCP_PORT:-}"
case "$audio_tcp" in ''|*[!0-9]*) audio_tcp= ;; esac
audio_acl=
if [ -n "$audio_tcp" ]; then
    # The default route's gateway (/proc/net/route: little-endian hex): a published port's
    # connections arrive from it; other containers on the same bridge have their own addresses.
    gw="$(awk '$2 == "00000000" { print $3; exit }' /proc/net/route)"
    if [ -n "$gw" ]; then
        audio_acl="$(printf '%d.%d.%d.%d/32' "0x$(echo "$gw" | cut -c7-8)" "0x$(echo "$gw" | cut -c5-6)" \
            "0x$(echo "$gw" | cut -c3-4)" "0x$(echo "$gw" | cut -c1-2)")"
    fi
    allow="$(printf '%s' "${AUDIO_TCP_ALLOW:-}" | tr -cd '0-9./;')"
    audio_acl="${audio_acl:+$audio_acl;}$allow"
    audio_acl="${audio_acl%;}"
    [ -n "$audio_acl" ] || { echo "start-desktop: AUDIO_TCP_PORT without a gateway or AUDIO_TCP_ALLOW, not listening" >&2; audio_tcp=; }
fi
unset AUDIO_TCP_ALLOW
sound_server() {
    while :; do
        if [ -n "$audio_tcp" ]; then
            set -- -L "module-native-protocol-tcp port=$audio_tcp auth-ip-acl=$audio_acl"
        else
            set --
        fi
        pulseaudio -n -F "$PULSE_PA" --daemonize=no --exit-idle-time=-1 --realtime=no \
            --high-priority=no --use-pid-file=no --log-target=stderr --log-level=error "$@" || true
        sleep 1
    done
}
# The sound server's start (~130 ms CPU) would compete with the X server for the VNC banner
# and the first frame, so it begins half a second after the display answers, except for a
# guacd (AUDIO_TCP_PORT): guacd connects to it once, as soon as its viewer does. The embedded
# gateway's parec/pacat wait for its socket.
[ -z "$audio_tcp" ] || sound_server </dev/null &

# Session helper: waits for the display, then runs the sound server, twm and the xterm.
(
    until DISPLAY=":$DISPLAY_NUM" xset q >/dev/null 2>&1; do sleep 0.1; done
    [ -n "$audio_tcp" ] || { sleep 0.5; sound_server; } &
    export DISPLAY=":$DISPLAY_NUM" LC_ALL=C
    xsetroot -solid '#2e3440' >/dev/null 2>&1 || true
    # twm (restarted if it dies)
    ( while :; do twm -f "$TWMRC" >/dev/null 2>&1 || true; sleep 1; done ) &
    # one xterm at the top-left, restarted whenever it exits
    while :; do
        xterm -geometry "$XTERM_GEOMETRY" -title Terminal -ls >/dev/null 2>&1 || true
        sleep 0.5
    done
) </dev/null &

# A server that was killed (`docker restart` of a hung desktop sends SIGKILL) leaves its lock
# and socket behind, and Xtigervnc would refuse the display as "already active". Nothing else
# runs in this container yet, so they are stale.
rm -f "/tmp/.X$DISPLAY_NUM-lock" "/tmp/.X11-unix/X$DISPLAY_NUM"

echo "start-desktop: Xtigervnc :$DISPLAY_NUM ${width}x${height}x24 on port $VNC_PORT as $(id -un)"
exec Xtigervnc ":$DISPLAY_NUM" \
    -rfbport "$VNC_PORT" \
    -localhost=0 \
    -geometry "${width}x${height}" \
    -depth 24 \
    -desktop "DaaS Desktop" \
    -nolisten tcp \
    "$@"
