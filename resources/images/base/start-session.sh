#!/bin/sh
# DaaS Desktop - start script of the shared base image (daas/base) and the app
# images built on it (daas/editor, daas/xfce, daas/firefox, daas/office).
#
# Starts TigerVNC's X server (Xtigervnc) on display :1 / port 5901 and, once the
# display answers, the image's application ($DAAS_APP).
# `docker stop` is instant: Xtigervnc is exec'd last (in single-app mode the start
# script stays and passes SIGTERM on to it).
#
# Environment:
#   VNC_PASSWORD     VNC password (VncAuth; only the first 8 characters count).
#                    Empty or unset: no VNC authentication (SecurityTypes None).
#   DESKTOP_WIDTH    screen width in pixels  (default 1280)
#   DESKTOP_HEIGHT   screen height in pixels (default 800)
#   DAAS_APP         the application's command line (set by each app image)
#   DAAS_SINGLE_APP  1: single-app mode. matchbox-window-manager keeps the app's main
#                    window maximized without a title bar and centres dialogs; when the
#                    app exits, the session ends and the container exits 0. A stop from
#                    outside (`docker stop`, the engine shutting down) exits 143 instead,
#                    so the restart policy "on-failure" brings the app back after an
#                    engine restart but not after the user quit it.
#                    Otherwise: desktop mode, the app is restarted whenever it exits and
#                    runs under $DAAS_DESKTOP_WM ("matchbox": matchbox with title bars,
#                    "none": the app brings its own, e.g. an XFCE session).
#   XKB_LAYOUT       keyboard layout (e.g. "de", "us"; XKB_VARIANT optional)
#   TZ               time zone (e.g. "Europe/Berlin"; tzdata is in the image)
set -eu

DESKTOP_USER=desktop
DISPLAY_NUM=1
VNC_PORT=5901

# Started as root (e.g. `docker run --user root`)? Drop to the desktop user,
# keeping the environment.
if [ "$(id -u)" = 0 ] && id "$DESKTOP_USER" >/dev/null 2>&1; then
    exec setpriv --reuid="$DESKTOP_USER" --regid="$DESKTOP_USER" --init-groups \
        env HOME="/home/$DESKTOP_USER" USER="$DESKTOP_USER" LOGNAME="$DESKTOP_USER" \
        /bin/sh "$0" "$@"
fi

width="${DESKTOP_WIDTH:-1280}"
height="${DESKTOP_HEIGHT:-800}"
case "$width" in ''|*[!0-9]*) echo "start-session: invalid DESKTOP_WIDTH, using 1280" >&2; width=1280 ;; esac
case "$height" in ''|*[!0-9]*) echo "start-session: invalid DESKTOP_HEIGHT, using 800" >&2; height=800 ;; esac
app="${DAAS_APP:-xterm}"
single="${DAAS_SINGLE_APP:-0}"

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
    echo "start-session: VNC authentication: VncAuth (password set)"
else
    set -- -SecurityTypes None
    echo "start-session: VNC authentication: None (VNC_PASSWORD empty)"
fi
# Don't hand the password down to the session's processes.
unset VNC_PASSWORD
umask 022

# Single-app mode: marks that the application ended by itself (removed at each start:
# a restarted container starts its application again).
ended=/tmp/.daas-app-ended
rm -f "$ended"

# Session: waits for the display, sets the keyboard layout, then runs the app.
(
    export DISPLAY=":$DISPLAY_NUM"
    until xset q >/dev/null 2>&1; do sleep 0.1; done
    xsetroot -solid '#2e3440' >/dev/null 2>&1 || true
    if [ -n "${XKB_LAYOUT:-}" ]; then
        setxkbmap -layout "$XKB_LAYOUT" ${XKB_VARIANT:+-variant "$XKB_VARIANT"} >/dev/null 2>&1 \
            || echo "start-session: keyboard layout '$XKB_LAYOUT' not known, keeping the default" >&2
    fi
    if [ "$single" = 1 ]; then
        matchbox-window-manager -use_titlebar no -use_cursor yes >/dev/null 2>&1 &
        echo "start-session: single-app mode: $app"
        sh -c "$app" || echo "start-session: $app exited with status $?"
        echo "start-session: the application ended, ending the session"
        # The exit status tells Docker the session is over (0: no restart).
        : > "$ended"
        kill -TERM 1
    else
        if [ "${DAAS_DESKTOP_WM:-matchbox}" = matchbox ]; then
            ( while :; do matchbox-window-manager -use_titlebar yes -use_cursor yes >/dev/null 2>&1 || true; sleep 1; done ) &
        fi
        while :; do
            sh -c "$app" || true
            sleep 0.5
        done
    fi
) </dev/null &

# A server that was killed (`docker restart` of a hung desktop sends SIGKILL) leaves its lock
# and socket behind, and Xtigervnc would refuse the display as "already active".
rm -f "/tmp/.X$DISPLAY_NUM-lock" "/tmp/.X11-unix/X$DISPLAY_NUM"

echo "start-session: Xtigervnc :$DISPLAY_NUM ${width}x${height}x24 on port $VNC_PORT as $(id -un)"
set -- ":$DISPLAY_NUM" \
    -rfbport "$VNC_PORT" \
    -localhost=0 \
    -geometry "${width}x${height}" \
    -depth 24 \
    -desktop "${DAAS_APP_TITLE:-DaaS Desktop}" \
    -nolisten tcp \
    "$@"
if [ "$single" != 1 ]; then
    exec Xtigervnc "$@"
fi
# Single-app mode: this shell stays between Docker's init and the X server, to choose the exit
# status: 0 when the application ended (the session marked it before its SIGTERM), 143 when
# stopped from outside, 1 when the X server ended by itself. The first SIGTERM decides: after
# a stop from outside, the application loses its display and the session marks and signals too.
Xtigervnc "$@" &
xserver=$!
status=
on_stop() {
    if [ -z "$status" ]; then
        if [ -e "$ended" ]; then status=0; else status=143; fi
    fi
    kill -TERM "$xserver" 2>/dev/null || true
}
trap on_stop TERM INT
# `wait` returns early when a trapped signal arrives: wait again until the server is gone.
while kill -0 "$xserver" 2>/dev/null; do wait "$xserver" || true; done
exit "${status:-1}"
