#!/bin/bash

if type update-alternatives >/dev/null 2>&1; then
    # Remove previous link if it doesn't use update-alternatives
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

# Check if user namespaces are supported by the kernel and working with a quick test:
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    # Use SUID chrome-sandbox only on systems without user namespaces:
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# Install apparmor profile. (Ubuntu 24+)
# First check if the version of AppArmor running on the device supports our profile.
# This is in order to keep backwards compatibility with Ubuntu 22.04 which does not support abi/4.0.
# In that case, we just skip installing the profile since the app runs fine without it on 22.04.
#
# Those apparmor_parser flags are akin to performing a dry run of loading a profile.
# https://wiki.debian.org/AppArmor/HowToUse#Dumping_profiles
#
# Unfortunately, at the moment AppArmor doesn't have a good story for backwards compatibility.
# https://askubuntu.com/questions/1517272/writing-a-backwards-compatible-apparmor-profile
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE='/opt/${sanitizedProductName}/resources/apparmor-profile'
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"

    # Updating the current AppArmor profile is not possible and probably not meaningful in a chroot'ed environment.
    # Use cases are for example environments where images for clients are maintained.
    # There, AppArmor might correctly be installed, but live updating makes no sense.
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      # Extra flags taken from dh_apparmor:
      # > By using '-W -T' we ensure that any abstraction updates are also pulled in.
      # https://wiki.debian.org/AppArmor/Contribute/FirstTimeProfileImport
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  else
    echo "Skipping the installation of the AppArmor profile as this version of AppArmor does not seem to support the bundled profile"
  fi
fi

# --- DaaS Desktop: the administrator's policy -------------------------------------------
# A preconfigured installer carries resources/admin/policy.json. Place it as the
# machine-wide policy, like a dpkg conffile: a copy we placed and nobody edited is
# updated; a locally edited one is kept and the new policy is put beside it.
PACKAGED_POLICY='/opt/${sanitizedProductName}/resources/admin/policy.json'
POLICY_DIR=/etc/daas-desktop
POLICY_FILE="$POLICY_DIR/policy.json"
POLICY_STAMP="$POLICY_DIR/.policy.json.installed-sha256"
if [ -f "$PACKAGED_POLICY" ]; then
  mkdir -p "$POLICY_DIR"
  chmod 0755 "$POLICY_DIR"
  new_sum=$(sha256sum "$PACKAGED_POLICY" | cut -d' ' -f1)
  if [ -e "$POLICY_FILE" ]; then
    current_sum=$(sha256sum "$POLICY_FILE" | cut -d' ' -f1)
    placed_sum=$(cat "$POLICY_STAMP" 2>/dev/null || true)
    if [ "$current_sum" = "$new_sum" ]; then
      echo "$new_sum" > "$POLICY_STAMP"
    elif [ -n "$placed_sum" ] && [ "$current_sum" = "$placed_sum" ]; then
      install -m 0644 "$PACKAGED_POLICY" "$POLICY_FILE"
      echo "$new_sum" > "$POLICY_STAMP"
    else
      install -m 0644 "$PACKAGED_POLICY" "$POLICY_FILE.dpkg-dist"
      echo "DaaS Desktop: $POLICY_FILE was changed on this machine and is kept; the installer's policy is in $POLICY_FILE.dpkg-dist"
    fi
  else
    install -m 0644 "$PACKAGED_POLICY" "$POLICY_FILE"
    echo "$new_sum" > "$POLICY_STAMP"
  fi
fi
