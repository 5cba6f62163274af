#!/bin/bash

# Delete the link to the binary
# update-alternatives --remove <name> <path>: 'path' must be the registered alternative binary,
# not the generic symlink — see https://man7.org/linux/man-pages/man1/update-alternatives.1.html
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove and unload apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile from the running kernel before deleting the file so the
  # policy is not left enforced until the next reboot.  Mirror the chroot guard
  # used in the after-install script — live AppArmor operations are not
  # meaningful inside a chroot.
  # https://wiki.debian.org/AppArmor/HowToUse
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi
# --- DaaS Desktop: the administrator's policy -------------------------------------------
# Only `apt purge` removes the policy, and only the copy the package placed unedited.
POLICY_DIR=/etc/daas-desktop
POLICY_FILE="$POLICY_DIR/policy.json"
POLICY_STAMP="$POLICY_DIR/.policy.json.installed-sha256"
if [ "$1" = "purge" ] && [ -f "$POLICY_STAMP" ]; then
  if [ -f "$POLICY_FILE" ] && [ "$(sha256sum "$POLICY_FILE" | cut -d' ' -f1)" = "$(cat "$POLICY_STAMP")" ]; then
    rm -f "$POLICY_FILE"
  fi
  rm -f "$POLICY_STAMP" "$POLICY_FILE.dpkg-dist"
  rmdir "$POLICY_DIR" 2>/dev/null || true
fi
