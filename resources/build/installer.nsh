; DaaS Desktop additions to electron-builder's NSIS installer.
; /POLICY=<file>: with a per-machine install (/allusers), copy an administrator's policy to
; %PROGRAMDATA%\DaaS Desktop\policy.json, e.g.
;   "DaaS Desktop Setup 0.1.0.exe" /S /allusers /POLICY=\\server\share\policy.json
; Without /POLICY, a policy built into the installer (resources\admin\policy.json) applies
; anyway, read from the installation folder. See docs/admin.md.

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/POLICY=" $R1
  ${IfNot} ${Errors}
    ${If} $installMode == "all"
      SetShellVarContext all
      CreateDirectory "$APPDATA\DaaS Desktop"
      ClearErrors
      CopyFiles /SILENT "$R1" "$APPDATA\DaaS Desktop\policy.json"
      ${If} ${Errors}
        DetailPrint "DaaS Desktop: could not copy the policy from $R1"
      ${EndIf}
    ${Else}
      DetailPrint "DaaS Desktop: /POLICY needs a per-machine install (/allusers); ignored"
    ${EndIf}
  ${EndIf}
!macroend
