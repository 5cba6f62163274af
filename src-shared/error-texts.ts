// The words of every error the core reports, by a stable key: `error.*` says what
// failed, `fix.*` what to do. English lives here (logs, the CLI and headless clients
// read it as ErrorInfo.message/action); the renderer's catalogues (src-renderer/i18n)
// include these keys, so German must translate every one of them or the type check fails.
// `{{name}}` is a parameter; values that are Docker's or Proxmox's own words stay verbatim.
// A parameter whose value is itself a key here (`op.*`, `why.*`, `who.*`) is translated too,
// with the same parameters as the whole (so `op.proxmox.startVm` finds its `{{vmid}}`);
// composeText builds such a sentence from sentences. A message with `one`/`other` forms is a
// plural chosen by `count`. Besides errors: the Proxmox connection test's lines (`report.*`),
// the policy banner's lines (`problem.*`) and Proxmox start/stop steps (`progress.*`).

export const ERROR_TEXTS = {
  // Anything unexpected, and requests a window got wrong
  'error.internal': 'Something unexpected went wrong inside DaaS Desktop.',
  'fix.internal': 'Try again; if it keeps happening, report it with the application log.',
  'error.request.unknown': 'DaaS Desktop does not know the request "{{channel}}".',
  'fix.request.updateApp': 'Update DaaS Desktop so its windows and core match.',
  'error.request.invalid': 'The {{channel}} request is not valid: {{path}}: {{problem}}.',
  'fix.request.checkValues': 'Check the values sent and try again.',
  'error.request.untrusted': 'DaaS Desktop refused a request from an untrusted page.',
  'fix.none': 'Nothing needs to be done.',
  // The link between a browser window and the headless host (made in the window itself)
  'error.connection.lost': 'Lost the connection to DaaS Desktop.',
  'fix.connection.lost': 'Check that DaaS Desktop is still running; this page reconnects by itself. Then try again.',
  'error.connection.unreachable': 'Cannot reach DaaS Desktop.',
  'fix.connection.unreachable': 'Make sure DaaS Desktop is running. If you opened this page from a link, open that link again.',
  'error.connection.malformed': 'DaaS Desktop sent an answer this window does not understand.',
  'fix.connection.malformed': 'Reload this window; if it keeps happening, update DaaS Desktop.',
  'error.connection.tooLarge': 'This request is too large to send to DaaS Desktop ({{megabytes}} MB; at most {{maxMegabytes}} MB).',
  'fix.connection.tooLarge': 'Use a smaller file: a catalogue file may have at most 5 MB.',
  // Settings and administrator policy
  'error.settings.unknown': 'There is no setting "{{key}}".',
  'fix.updateApp': 'Update DaaS Desktop.',
  'error.settings.locked': 'The setting "{{key}}" is managed by your administrator.',
  'fix.askAdminPolicy': 'Ask your administrator to change the policy.',
  'error.settings.invalidValue': 'The value for "{{key}}" is not valid: {{problem}}.',
  'fix.checkValue': 'Check the value and try again.',
  'error.policy.catalogueManaged': 'Your administrator manages the catalogue.',
  'error.policy.endpointsManaged': 'Your administrator manages the endpoints.',
  'fix.askAdmin': 'Ask your administrator for the change.',
  'error.app.managed': 'This app is managed by your administrator.',
  'fix.app.duplicate': 'Duplicate it to make your own version.',
  'error.secret.unreadable': 'A stored secret cannot be read: {{why}}.',
  'fix.secret.enterAgain': 'Enter the secret again in Settings.',
  // The data folder (SQLite and the key file) cannot be written
  'error.storage.full': 'The disk holding your data folder is full ({{path}}).',
  'fix.storage.full': 'Free some space on that disk, then try again.',
  'error.storage.readOnly': 'Your data folder cannot be written: its disk is read-only or the folder is write-protected ({{path}}).',
  'fix.storage.readOnly': 'Make the folder writable again (or set DAAS_DATA_DIR to a writable folder), then start DaaS Desktop again.',
  'error.storage.failed': 'Your data folder could not be written ({{path}}): {{detail}}.',
  'fix.storage.failed': 'Check the disk holding it, then try again.',
  // Apps and the catalogue file
  'error.app.notFound': 'There is no app with id "{{appId}}".',
  'fix.app.refreshCatalogue': 'Refresh the catalogue; it may have been deleted.',
  'fix.app.pickFromCatalogue': 'Pick an app from the catalogue.',
  'error.app.instancesRunning': {
    one: '{{name}} still has {{count}} instance running.',
    other: '{{name}} still has {{count}} instances running.',
  },
  'fix.app.stopInstancesFirst': 'Stop its instances first, then delete the app.',
  'error.app.homeVolumeInUse': 'The home volume {{volume}} of {{name}} is still used by {{users}}, so neither was deleted.',
  'fix.app.homeVolumeInUse': 'Remove those instances (or change that app\'s home volume) first, or delete the app and keep its volume.',
  'error.home.none': '{{name}} has no home folder to export or import.',
  'fix.home.containersOnly': 'Export and import homes of container instances.',
  'error.home.notRunning': '{{name}} is not running.',
  'fix.home.startFirst': 'Start the instance, then export or import its home.',
  'fix.home.transfersOff': 'Turn file transfers on in Settings, or ask your administrator if they are locked.',
  'error.home.failed': 'The home of {{name}} could not be {{doing}}: {{detail}}.',
  'fix.home.checkArchive': 'Check the archive is a .tar.gz file and the desktop has room, then try again.',
  'op.home.exported': 'exported',
  'op.home.imported': 'imported',
  'error.app.noImageToBuild': '{{name}} is a virtual machine; it has no image to build.',
  'fix.app.buildOnlyContainers': 'Build images only for container apps.',
  'error.catalogue.replacesManaged': 'The file would replace "{{id}}", which your administrator manages.',
  'error.catalogue.replacesBuiltIn': 'The file would change "{{id}}", an app built into DaaS Desktop.',
  'fix.catalogue.renameEntry': 'Remove that entry or give it another id, then import again.',
  'error.catalogue.previewStale': 'The file or the catalogue changed since the import was previewed.',
  'fix.catalogue.previewAgain': 'Import the file again and look at what it will change before you confirm.',
  'error.catalogue.notJson': 'The catalogue file is not valid JSON: {{detail}}.',
  'error.catalogue.tooDeep': 'The catalogue file nests its values more than {{max}} levels deep; a catalogue needs 5.',
  'error.catalogue.tooManyValues': 'The catalogue file holds more than {{max}} values, more than any catalogue needs.',
  'error.catalogue.notCatalogue': 'The catalogue file is not a DaaS Desktop catalogue: {{problem}}.',
  'error.catalogue.entryInvalid': 'Entry {{number}}{{name}} is invalid: {{problem}}.',
  'error.catalogue.entryBadId': 'Entry {{number}}{{name}} has an invalid id.',
  'error.catalogue.entryRepeatsId': 'Entry {{number}}{{name}} repeats the id "{{id}}".',
  'error.catalogue.entrySetsSecurity':
    'Entry {{number}}{{name}} sets docker.security (capabilities, no-new-privileges, process limit); only your administrator sets that, in the policy or the packaged catalogue.',
  'fix.catalogue.fixFile': 'Fix the file and import it again (an exported catalogue shows the format).',
  // Images
  'error.image.noRecipe': 'DaaS Desktop has no recipe for {{image}}.',
  'fix.image.pullYourself': 'Pull or build it yourself, for example "docker pull {{image}}".',
  'error.image.alreadyBuilding': '{{image}} is already being built.',
  'fix.image.waitForBuild': 'Wait for that build to finish.',
  'error.image.buildFailed': 'Building {{image}} failed: {{detail}}',
  'fix.image.buildOffline': 'Without access to a registry, build it offline: "sudo resources/images/{{folder}}/build-offline.sh".',
  'fix.image.buildLayered': 'It builds on daas/base with packages from the Debian mirror: check the mirror can be reached, or build both offline: "sudo scripts/ensure-app-images.sh {{folder}}".',
  'error.image.missing': 'The image {{image}} is not on this Docker host.',
  'fix.image.buildDesktop':
    'Build it with "resources/images/desktop/build-offline.sh" (no registry needed) or "docker build -t daas/desktop resources/images/desktop".',
  'fix.image.pullFirst': 'Pull or build it first, for example "docker pull {{image}}".',
  'error.image.pullFailed': 'Pulling {{image}} failed: {{detail}}',
  'fix.image.pullCheckName': 'Check the image name and that this Docker host can reach its registry (and is logged in to it, for a private one: "docker login").',
  'error.image.alreadyPulling': '{{image}} is already being pulled or built.',
  'error.image.badName': '"{{image}}" is not an image name Docker accepts.',
  'fix.image.nameRule': 'Docker image names use lower-case letters, digits and the separators . _ - between them, parts joined by /, optionally a registry host (with :port) first and a :tag (letters, digits, . _ -, up to 128) or @sha256:digest last, like registry.example.com:5000/team/desktop:1.2.',
  // Instances
  'error.instance.notFound': 'There is no instance with id "{{instanceId}}".',
  'fix.instance.refreshList': 'Refresh the instance list.',
  'error.instance.cannotBecome': 'The instance is {{from}}; it cannot become {{to}}.',
  'fix.instance.alreadyStopped': 'It is already stopped; start a new instance instead.',
  'fix.instance.waitForAction': 'Wait for the current action to finish.',
  'error.instance.alreadyStopping': '{{name}} is already {{state}}.',
  'fix.instance.nothingToDo': 'Nothing to do; start a new instance if you need one.',
  'fix.instance.waitForStop': 'Wait for it to finish stopping.',
  'error.instance.cannotRestart': '{{name}} is {{state}}; only a running instance can restart.',
  'fix.instance.startNew': 'Start a new instance instead.',
  'error.instance.inState': '{{name}} is {{state}}.',
  'fix.instance.statsWhileRunning': 'Statistics are shown while it runs.',
  'error.inspect.unsupported': '{{name}} cannot be inspected from here.',
  'error.terminal.unsupported': '{{name}} has no shell to open: a virtual machine\'s console is its desktop.',
  'fix.terminal.useDesktop': 'Open the desktop and use a terminal there.',
  'error.terminal.notFound': 'That terminal has ended.',
  'fix.terminal.openAgain': 'Open the Terminal tab again.',
  'error.terminal.tooMany': 'At most {{max}} terminals can be open at once.',
  'fix.terminal.closeOne': 'Close a Terminal tab, then try again.',
  'fix.terminal.whileRunning': 'A terminal opens while the instance runs.',
  'fix.instance.openWhenRunning': 'Open it once it is running.',
  'error.limit.perApp': '{{name}} already runs {{count}} instances, the most one app may run at once ({{limit}}, in Settings: Instances).',
  'fix.limit.perApp': 'Stop an instance of {{name}} you no longer need, then start again.',
  'error.limit.total': '{{count}} instances already run, the most that may run at once ({{limit}}, in Settings: Instances).',
  'fix.limit.total': 'Stop an instance you no longer need, then start again.',
  'error.limit.memory':
    'Starting {{name}} would claim {{needMiB}} MiB of memory, but running containers already claim {{usedMiB}} MiB of the {{limitMiB}} MiB allowed (in Settings: Instances).',
  'error.limit.memoryUnlimited':
    '{{name}} has no memory limit, so it claims all {{limitMiB}} MiB that containers may claim (in Settings: Instances), and running containers already claim {{usedMiB}} MiB.',
  'fix.limit.memory': 'Stop a container instance you no longer need, or give the app a memory limit, then start again.',
  'error.save.unsupported': '{{name}} cannot be saved as an app: only container instances and stopped Proxmox clones can.',
  'fix.save.unsupported': 'Save a container instance, or a Proxmox clone kept when it stopped.',
  'error.save.busy': '{{name}} is {{state}}; it can be saved once it is running or stopped.',
  'fix.save.wait': 'Wait until it is running or stopped, then save it.',
  'error.save.noContainer': 'The container of {{name}} no longer exists, so there is nothing to save.',
  'fix.save.whileRunning': 'Start the app, make your changes, and save that instance while it runs.',
  'error.save.vmRunning': 'VM {{vmid}} still runs; only a stopped VM can become a template.',
  'fix.save.stopFirst': 'Stop the instance, then save it.',
  'error.save.vmNotKept': 'VM {{vmid}} was not kept when its instance stopped (or is not a clone DaaS Desktop made), so there is nothing to save.',
  'fix.save.keepOnStop': 'Set the app to keep its VMs on stop, start and stop an instance, then save it.',
  'error.display.noAddress': 'This instance has no desktop address yet.',
  'error.display.notPublished': 'Its desktop cannot be reached yet: its engine is still bringing the container back.',
  'fix.display.waitUntilRunning': 'Wait until it is running.',
  'error.display.rdpNeedsGuacd': 'RDP needs guacd: the embedded gateway speaks VNC only.',
  'fix.display.chooseGuacd': 'Edit the app and choose guacd as its gateway.',
  // Files sent into a desktop (the viewer's file streams)
  'error.files.uploadOff': 'Sending files to desktops is turned off.',
  'error.files.unsupported': 'This desktop cannot receive files: only container desktops and VM consoles shown by the built-in gateway can.',
  'error.files.tooMany': 'Too many files are being sent to this desktop at once (at most {{max}}).',
  'error.files.tooLarge': '"{{name}}" is larger than the transfer limit of {{maxMiB}} MiB; it was not saved.',
  'error.files.badName': '"{{name}}" is not a file name the desktop can use.',
  'error.files.noSpace': 'The desktop\'s disk is full: "{{name}}" was not saved.',
  'error.files.readOnly': 'The desktop\'s transfer folder {{folder}} cannot be written (read-only or no permission): "{{name}}" was not saved.',
  'error.files.desktopGone': 'The desktop is not running any more: "{{name}}" was not saved.',
  'error.files.overrun': 'The viewer sent "{{name}}" faster than the desktop took it; the transfer was stopped.',
  'error.files.failed': '"{{name}}" could not be saved in the desktop: {{detail}}',
  'error.files.downloadOff': 'Downloading files from desktops is turned off.',
  'error.files.notFound': '"{{name}}" is not in the desktop (any more).',
  'error.files.notReadable': '"{{name}}" cannot be read in the desktop (no permission).',
  'error.files.unreadableInFolder': 'The folder "{{name}}" was not downloaded: the desktop user cannot read {{files}}. Change their permissions in the desktop (chmod) or move them out, then download again.',
  'error.files.tooManyDownloads': 'Too many downloads from this desktop at once (at most {{max}}).',
  'error.files.tooLargeDownload': '"{{name}}" is larger than the transfer limit of {{maxMiB}} MiB; the download was stopped.',
  'error.files.downloadGone': 'The desktop is not running any more: "{{name}}" was not downloaded.',
  'error.files.readFailed': '"{{name}}" could not be read from the desktop: {{detail}}',
  // A VM console's files through its QEMU guest agent (whole files, each call limited)
  'error.files.noAgent':
    'Files cannot reach VM {{vmid}}: its QEMU guest agent does not answer ({{detail}}). Install qemu-guest-agent in the VM and start it, and turn on "QEMU Guest Agent" in the VM\'s Options in Proxmox; or use an RDP app, whose drive redirection needs no agent.',
  'error.files.agentTooLarge':
    '"{{name}}" is larger than {{maxKiB}} KiB, the most the VM\'s guest agent takes in one piece; it was not saved. For larger files use an RDP app with drive redirection, or a network share in the VM.',
  'error.files.agentTooLargeDownload':
    '"{{name}}" is larger than {{maxMiB}} MiB, the most the VM\'s guest agent reads at once; it was not downloaded. For larger files use an RDP app with drive redirection, or a network share in the VM.',
  'error.files.agentSingleFiles':
    'The VM\'s guest agent moves single files only: it cannot list folders or pack them, so only the files sent from here are listed, and can be fetched back.',
  'error.files.agentForbidden':
    'The Proxmox credentials may not move files through the guest agent of VM {{vmid}} ({{detail}}). Grant VM.GuestAgent.FileRead and VM.GuestAgent.FileWrite on the VM (before Proxmox VE 9: VM.Monitor).',
  'error.audio.micOff': 'The microphone is turned off for this desktop.',
  'error.audio.micUnsupported': 'This desktop has no microphone input: only container desktops shown by the built-in gateway have one.',
  'error.audio.micFormat': 'The microphone sends {{mimetype}}; the desktop takes 16-bit PCM (audio/L16) only.',
  'error.audio.micTooMany': 'A microphone is already sending to this desktop.',
  'error.audio.micOverrun': 'The microphone sent sound faster than the desktop played it; it was stopped.',
  'error.audio.micFailed': 'The desktop\'s microphone input stopped: {{detail}}',
  'error.guacd.imageMissing': 'The guacd image "{{image}}" is not on this computer\'s Docker engine.',
  'fix.guacd.pullImage': 'Pull it (docker pull {{image}}) or load it, or choose another display gateway in Settings.',
  'error.guacd.noAnswer': 'guacd in its container did not answer on 127.0.0.1:{{port}} within {{seconds}} s.{{output}}',
  'error.guacd.stopped': 'The guacd container stopped (exit code {{exitCode}}).{{output}}',
  'fix.guacd.checkImage': 'Check that the image is Apache guacd (such as guacamole/guacd), or use the built-in gateway.',
  'error.desktop.vncSilent': "The desktop's VNC server did not answer within {{seconds}} s.",
  'fix.desktop.checkVnc': 'Check that the image runs a VNC server on the configured port; its last log lines are attached.',
  // Docker
  'error.docker.unreachableRemote': 'The Docker engine at {{endpoint}} cannot be reached: {{why}}.',
  'error.docker.unreachable': 'Docker cannot be reached at {{endpoint}}.',
  'fix.docker.checkRemote': 'Check that Docker runs on that machine and listens at that address, and that this computer can reach it; or correct the endpoint in the settings.',
  'fix.docker.start': 'Start Docker (for example "sudo systemctl start docker"), or check the Docker endpoint in the settings, then try again.',
  'error.docker.tlsFailed': 'The TLS connection to Docker at {{endpoint}} failed ({{code}}).',
  'fix.docker.checkTls': "Check the endpoint's TLS CA, certificate and key in the settings.",
  'error.ssh.hostUnknown': 'The SSH host {{host}} is not known: its key has the fingerprint {{fingerprint}}.',
  'fix.ssh.trustHostKey': "Compare the fingerprint with the server's own (ssh-keygen -lf on its host key); if they are the same, trust the key in the settings.",
  'error.ssh.nothingToTrust': 'No connection test was offered the host key {{fingerprint}}.',
  'fix.ssh.testFirst': 'Test the connection again, then trust the key it shows.',
  'error.ssh.hostKeyChanged': 'THE SSH HOST KEY OF {{host}} HAS CHANGED: it is now {{fingerprint}}, the key trusted for this endpoint is {{pinned}}. Someone may be intercepting the connection.',
  'fix.ssh.hostKeyChanged': 'Do not connect. Ask the server\'s administrator; only if the server really got a new key, delete the endpoint, add it again and trust the new key.',
  'error.ssh.hostKeyChangedKnownHosts': 'THE SSH HOST KEY OF {{host}} DOES NOT MATCH {{file}}: the server offers {{fingerprint}}. Someone may be intercepting the connection.',
  'fix.ssh.knownHostsChanged': 'Do not connect. Ask the server\'s administrator; only if the server really got a new key, remove the old one (ssh-keygen -R "{{host}}") and test again.',
  'error.docker.failed': 'Docker could not {{doing}}: {{detail}}.',
  'fix.docker.checkLog': 'Check the Docker daemon log, then try again.',
  // What Docker was asked to do ({{doing}} above)
  'op.docker.answer': 'answer',
  'op.docker.inspectImage': 'inspect the image {{image}}',
  'op.docker.createContainer': 'create the container',
  'op.docker.startContainer': 'start the container',
  'op.docker.listContainers': 'list containers',
  'op.docker.findContainer': 'find the container',
  'op.docker.restartContainer': 'restart the container',
  'op.docker.readLog': 'read the container log',
  'op.docker.readStats': 'read the container statistics',
  'op.docker.inspectContainer': 'inspect the container',
  'op.docker.openShell': 'open a shell in the container',
  'op.docker.pullImage': 'pull the image {{image}}',
  'op.docker.stopContainer': 'stop the container',
  'op.docker.removeContainer': 'remove the container',
  'op.docker.removeVolume': 'remove the home volume',
  'op.docker.commitContainer': 'save the container as an image',
  'op.docker.pauseContainer': 'pause the prepared container',
  'op.docker.unpauseContainer': 'resume the prepared container',
  'op.docker.createNetwork': "create guacd's network",
  'op.docker.joinNetwork': "connect the desktop to guacd's network",
  'error.docker.notConfigured': 'The Docker endpoint "{{endpointId}}" is not configured.',
  'error.proxmox.notConfigured': 'The Proxmox endpoint "{{endpointId}}" is not configured.',
  'fix.endpoint.addOrPickAnother': 'Add it in Settings, or pick another endpoint for the app.',
  // Endpoints
  'error.endpoint.noTls': 'Docker at {{url}} would be reached without TLS.',
  'fix.endpoint.addTls': 'Add the TLS CA, certificate and key, or use ssh://.',
  'error.endpoint.localUndeletable': 'The local Docker endpoint cannot be deleted.',
  'fix.endpoint.changeAddress': 'Change its address instead.',
  'error.endpoint.instancesRunning': {
    one: '{{count}} instance still runs on this endpoint.',
    other: '{{count}} instances still run on this endpoint.',
  },
  'fix.endpoint.stopThemFirst': 'Stop them first.',
  'error.endpoint.managed': 'The endpoint "{{endpointId}}" is managed by your administrator (policy).',
  'error.endpoint.policyFileUnreadable': 'The endpoint "{{endpointId}}" from the policy cannot be used: {{file}} cannot be read ({{detail}}).',
  'error.proxmox.managedNeedsSecret': 'The Proxmox endpoint "{{endpointId}}" from the policy has no token secret yet.',
  'fix.proxmox.enterManagedSecret': 'Enter your token secret for it in Settings.',
  'error.endpoint.notFound': 'There is no endpoint "{{endpointId}}".',
  'error.proxmox.notFound': 'There is no Proxmox endpoint "{{endpointId}}".',
  'fix.refreshSettings': 'Refresh the settings.',
  'error.proxmox.tokenSecretMissing': 'The API token secret is missing.',
  'error.proxmox.passwordMissing': 'The password is missing.',
  'fix.proxmox.enterAndSave': 'Enter it, then save again.',
  'error.proxmox.fingerprintMissing': 'Pinning needs the certificate fingerprint.',
  'fix.proxmox.pasteFingerprint': 'Paste the SHA-256 fingerprint shown in Proxmox under System > Certificates.',
  'error.proxmox.endpointInUse': {
    one: '{{names}} uses this endpoint.',
    other: '{{names}} use this endpoint.',
  },
  'fix.proxmox.changeApps': 'Change or delete those apps first.',
  'error.proxmox.unreachable': 'Proxmox VE at {{url}} cannot be reached: {{why}}.',
  'fix.proxmox.checkAddress': 'Check the address and port (usually 8006) in the Proxmox endpoint settings, and that this computer can reach the server.',
  'why.net.refused': 'the connection was refused',
  'why.net.unknownHost': 'the host name is unknown',
  'why.net.timedOut': 'the connection timed out',
  'why.net.reset': 'the connection was reset',
  'error.proxmox.untrusted': 'The certificate of {{url}} is not trusted ({{why}}).',
  'error.proxmox.untrustedWithFingerprint': 'The certificate of {{url}} is not trusted ({{why}}). Its SHA-256 fingerprint is {{fingerprint}}.',
  'fix.proxmox.pinOrTrust':
    'If that fingerprint matches the one Proxmox shows under Datacenter > node > System > Certificates, pin it in the ' +
    "endpoint settings; or install the certificate's CA on this computer. Turn off certificate checks only on a network you trust.",
  'why.cert.selfSigned': 'it is self-signed',
  'why.cert.expired': 'it has expired',
  'why.cert.otherName': 'it was issued for another name',
  'why.cert.untrustedIssuer': 'no trusted authority signed it',
  'error.proxmox.fingerprintMismatch': 'The certificate of {{url}} does not match the pinned fingerprint; it presented {{presented}}.',
  'fix.proxmox.newFingerprint':
    'If the server got a new certificate, pin its new fingerprint in the endpoint settings. Otherwise someone may be intercepting the connection: do not continue.',
  // Proxmox VE: what the server answered ({{message}} is Proxmox's own words, verbatim)
  'error.proxmox.requestTimeout': 'Proxmox VE at {{url}} did not answer within {{seconds}} s (asked to {{doing}}).',
  'fix.proxmox.checkLoad': 'Check that the server is not overloaded and that nothing between this computer and it holds connections open.',
  'error.proxmox.rejected': 'Proxmox VE rejected {{who}} ({{message}}).',
  'fix.proxmox.checkToken': 'Check the token ID (USER@REALM!TOKENID) and its secret in the endpoint settings; the token may have been deleted or have expired.',
  'fix.proxmox.checkUser': 'Check the user name (with its realm, e.g. root@pam) and the password in the endpoint settings.',
  'error.proxmox.forbidden': 'Proxmox VE did not allow {{who}} to {{doing}}: {{message}}.',
  'fix.proxmox.grantPrivilege':
    'In Proxmox (Datacenter > Permissions), give {{who}} {{privilege}} (to {{purpose}}) on {{path}} or a path above it, for example through a role such as PVEVMAdmin. An API token with privilege separation needs the permission itself, not only its user.',
  'fix.proxmox.grantPrivileges':
    'In Proxmox (Datacenter > Permissions), give {{who}} {{privileges}} on {{path}} or a path above it, for example through a role such as PVEVMAdmin. An API token with privilege separation needs the permission itself, not only its user.',
  'fix.proxmox.grantNeeded': 'Give {{who}} the needed permissions in Proxmox (Datacenter > Permissions).',
  'error.proxmox.refusedParams': 'Proxmox VE refused to {{doing}}: {{message}} ({{list}}).',
  'fix.proxmox.checkVmSettings': 'Check the VM settings of this app; if they look right, this Proxmox version may not support them.',
  'error.proxmox.failed': 'Proxmox VE could not {{doing}}: {{message}}.',
  'fix.proxmox.nodeOffline': 'Check that every cluster node is online and that the node DaaS Desktop talks to can reach it.',
  'fix.proxmox.callMissing': 'This Proxmox VE version does not offer that call; update Proxmox VE or check the endpoint URL.',
  'fix.proxmox.fixCause': 'Fix the cause Proxmox names, then try again.',
  'fix.proxmox.startGuestAgent': 'The QEMU guest agent starts some time after the VM boots: make sure it is installed and running in the guest and that the VM option "QEMU Guest Agent" is on, then try again.',
  'error.proxmox.notAnApi': '{{url}} did not answer like a Proxmox VE API ({{contentType}}).',
  'fix.proxmox.checkUrl': 'Check the endpoint URL: it is the address of the Proxmox web interface, usually https://HOST:8006.',
  'error.proxmox.noTicket': 'Proxmox VE did not give {{who}} a ticket; the account may need a second factor (TFA).',
  'error.proxmox.needsTfa': 'Proxmox VE asks {{who}} for a second factor (TFA), which DaaS Desktop cannot answer: accounts with a second factor need an API token.',
  'fix.proxmox.useToken': 'Use an API token for DaaS Desktop instead (Datacenter > Permissions > API Tokens).',
  'error.proxmox.taskTimeout': 'Proxmox VE did not {{doing}} within {{seconds}} s; the task {{upid}} may still be running there.',
  'fix.proxmox.lookAtTask': 'Look at the task in Proxmox (the Tasks panel at the bottom of the web interface); raise the timeout if the storage is slow.',
  'error.proxmox.notUpid': 'Proxmox VE returned "{{value}}" where a task ID (UPID) was expected.',
  'fix.proxmox.isItProxmox': 'Check that the endpoint is a Proxmox VE server.',
  'fix.proxmox.seeTaskLog': 'See the task log in Proxmox (the Tasks panel; task {{upid}}).',
  'fix.proxmox.idTaken': 'Another VM took that ID at the same moment; try again.',
  'fix.proxmox.vmBusy': 'Another operation holds the VM; wait for it to finish, then try again.',
  'fix.proxmox.gaveUp': 'Proxmox gave up waiting; check the node and the VM, then try again.',
  // Proxmox VE: apps and their VMs
  'error.proxmox.noVmSettings': 'The app {{appId}} has no Proxmox VM settings.',
  'fix.proxmox.chooseVm': 'Edit the app and choose a template or an existing VM.',
  'error.proxmox.vmInUse': 'VM {{vmid}} is already in use by another DaaS Desktop instance.',
  'fix.proxmox.stopThatInstance': 'Stop that instance first; an existing VM serves one instance at a time.',
  'error.proxmox.notOurs': "VM {{resourceId}} is not one of DaaS Desktop's.",
  'error.proxmox.onlyLoopback': 'The guest agent of VM {{vmid}} reports no address other than loopback ({{addresses}}).',
  'fix.proxmox.checkGuestNetwork': 'Check the network configuration inside the guest, or use the console (vncproxy) display.',
  'error.proxmox.noDisplayYet': 'The VM restarted, but DaaS Desktop has no display for it yet.',
  'fix.proxmox.openAgain': 'Open the instance again.',
  'error.proxmox.vmLocked': 'VM {{vmid}} on {{node}} is locked ({{lock}}), so DaaS Desktop cannot remove it.',
  'fix.proxmox.unlockClone': 'A clone task was interrupted. On {{node}}, run "qm unlock {{vmid}}" and delete VM {{vmid}}, or ask your Proxmox administrator to.',
  'fix.proxmox.waitForLock': 'Wait until the operation holding the lock finishes, then stop the instance again.',
  'error.proxmox.vmGone': 'The VM of this instance is gone from the Proxmox cluster.',
  'error.proxmox.noSuchVm': 'There is no VM {{vmid}} on the Proxmox cluster that {{who}} can see.',
  'fix.proxmox.checkVmid': "Check the VM ID in the app's settings, and that {{who}} has VM.Audit on it.",
  'error.proxmox.notATemplate': 'VM {{vmid}} is not a template, and linked clones can only be made from templates.',
  'fix.proxmox.convertToTemplate': 'Convert it to a template in Proxmox (More > Convert to template), or switch the app to full clones.',
  'error.proxmox.isATemplate': 'VM {{vmid}} is a template; templates cannot be started.',
  'fix.proxmox.cloneInstead': 'Set the app to clone it instead.',
  'error.proxmox.thenCleanup': '{{first}} Then: {{then}}',
  // Proxmox VE: endpoint and app settings
  'error.proxmox.badFingerprint': 'The pinned certificate fingerprint is not a SHA-256 fingerprint.',
  'fix.proxmox.copyFingerprint': 'Copy the SHA-256 fingerprint (64 hexadecimal digits, usually with colons) from Proxmox: Datacenter > node > System > Certificates.',
  'error.proxmox.notUrl': '"{{url}}" is not a URL.',
  'fix.proxmox.enterAddress': 'Enter the Proxmox address as https://HOST:8006.',
  'error.proxmox.httpsOnly': 'The Proxmox API is only served over HTTPS.',
  'fix.proxmox.enterHttps': 'Enter the address as https://HOST:8006.',
  'error.proxmox.badTokenId': '"{{tokenId}}" is not an API token ID.',
  'fix.proxmox.tokenIdForm': 'A token ID has the form USER@REALM!TOKENID, e.g. daas@pve!desktop (Datacenter > Permissions > API Tokens).',
  'error.proxmox.secretEmpty': 'The API token secret is empty.',
  'fix.proxmox.pasteSecret': 'Paste the secret Proxmox showed when the token was created.',
  'error.proxmox.badUsername': '"{{username}}" is not a Proxmox user name.',
  'fix.proxmox.userWithRealm': 'Give the user with its realm, e.g. root@pam or alice@pve.',
  'error.proxmox.passwordEmpty': 'The password is empty.',
  'fix.proxmox.enterPassword': 'Enter the password of the Proxmox user.',
  'error.proxmox.pinnedAndInsecure': 'Certificate checks cannot be both pinned and turned off.',
  'fix.proxmox.pinOrInsecure': 'Pin the fingerprint, or turn certificate checks off, not both.',
  'error.proxmox.badTemplateVmid': 'The template must be a VM ID between 100 and 999999999.',
  'error.proxmox.badVmid': 'The VM must be a VM ID between 100 and 999999999.',
  'fix.proxmox.enterVmid': 'Enter the numeric ID Proxmox shows next to the VM.',
  'error.proxmox.badVncAddress': 'Direct VNC needs a host and a port between 1 and 65535.',
  'fix.proxmox.enterVncAddress': 'Enter the address of the VNC server the VM host exposes.',
  'error.proxmox.badRdpPort': 'The RDP port must be between 1 and 65535.',
  'fix.proxmox.rdpDefault': 'Leave it empty for 3389.',
  'error.proxmox.unknownDisplay': 'DaaS Desktop does not know this kind of display.',
  'fix.proxmox.pickDisplay': 'Pick vncproxy, vnc or rdp.',
  'error.proxmox.badNode': '"{{node}}" is not a node name.',
  'fix.proxmox.enterNodeOrLeastLoaded': 'Enter a node name as Proxmox shows it, or choose "least loaded".',
  'fix.proxmox.enterNode': 'Enter the node the VM lives on.',
  'error.proxmox.badPool': '"{{pool}}" is not a pool name.',
  'fix.proxmox.enterPool': 'Enter a pool name as Proxmox shows it (Datacenter > Permissions > Pools).',
  'error.proxmox.badOnStop': 'On stop must be "delete" or "keep".',
  'fix.proxmox.pickOne': 'Pick one of the two.',
  'error.proxmox.badMode': 'A Proxmox app must clone a template or use an existing VM.',
  'fix.proxmox.pickMode': 'Pick "clone" or "existing".',
  'error.proxmox.badVmName': 'The VM name pattern "{{pattern}}" gives "{{name}}", which Proxmox does not accept as a VM name.',
  'fix.proxmox.vmNameChars': 'Use letters, digits, hyphens and dots, e.g. "daas-{app}-{instance}".',
  // Who DaaS Desktop is to Proxmox ({{who}} above)
  'who.proxmox.token': 'the API token {{tokenId}}',
  'who.proxmox.user': 'the user {{username}}',
  // What Proxmox was asked to do ({{doing}} above)
  'op.proxmox.call': 'call {{method}} {{apiPath}}',
  'op.proxmox.tellVersion': 'tell its version',
  'op.proxmox.listPermissions': 'list its permissions',
  'op.proxmox.logIn': 'log in',
  'op.proxmox.readTaskStatus': 'read a task status',
  'op.proxmox.readTaskLog': 'read a task log',
  'op.proxmox.finishTask': 'finish {{taskType}} {{taskId}}',
  'op.proxmox.openConsoleSocket': 'open the console',
  'op.proxmox.openConsole': 'open the console of VM {{vmid}}',
  'op.proxmox.listResources': 'list the cluster resources',
  'op.proxmox.askGuestAgent': 'ask the guest agent of VM {{vmid}} for its addresses',
  'op.proxmox.askAgentFiles': 'ask whether the guest agent of VM {{vmid}} runs',
  'op.proxmox.writeGuestFile': 'write a file into VM {{vmid}} through its guest agent',
  'op.proxmox.readGuestFile': 'read a file from VM {{vmid}} through its guest agent',
  'op.proxmox.pickVmid': 'pick a new VM ID',
  'op.proxmox.cloneTemplate': 'clone VM {{templateVmid}}',
  'op.proxmox.cloneVm': 'clone VM {{templateVmid}} to {{vmid}}',
  'op.proxmox.readVmState': 'read the state of VM {{vmid}}',
  'op.proxmox.readVmSettings': 'read the settings of VM {{vmid}}',
  'op.proxmox.tagVm': 'tag VM {{vmid}}',
  'op.proxmox.setClipboard': 'turn on the VNC clipboard of VM {{vmid}}',
  'op.proxmox.deleteVm': 'delete VM {{vmid}}',
  'op.proxmox.makeTemplate': 'convert VM {{vmid}} to a template',
  'op.proxmox.startVm': 'start VM {{vmid}}',
  'op.proxmox.stopVm': 'stop VM {{vmid}}',
  'op.proxmox.shutDownVm': 'shut down VM {{vmid}}',
  // What each privilege is needed for ({{purpose}} above and in the connection test)
  'why.privilege.vmAudit': 'see virtual machines and their state',
  'why.privilege.vmClone': 'clone the template',
  'why.privilege.vmAllocate': 'create and delete virtual machines',
  'why.privilege.vmConfigOptions': 'tag virtual machines (so DaaS Desktop recognises its own)',
  'why.privilege.vmPowerMgmt': 'start and stop virtual machines',
  'why.privilege.vmConsole': "open a virtual machine's screen",
  'why.privilege.vmGuestAgentAudit': "read the guest's network addresses through the QEMU guest agent",
  'why.privilege.sysAudit': 'see the load of each node (to pick the least-loaded one)',
  'why.privilege.datastoreAllocateSpace': 'allocate disk space for clones (linked clones too)',
  'why.privilege.sdnUse': "connect clones to the template's network bridges",
  // The connection test's report (Settings > Proxmox > Test)
  'report.proxmox.connectedToken': 'Connected to Proxmox VE {{version}} as API token {{tokenId}}.',
  'report.proxmox.connectedUser': 'Connected to Proxmox VE {{version}} as user {{username}}.',
  'report.proxmox.grantedOnlyOn': '{{privilege}} is granted only on {{paths}}: DaaS Desktop can {{purpose}} only there.',
  'report.proxmox.missingRequired': 'Missing {{privilege}} on {{path}}: DaaS Desktop cannot {{purpose}}.',
  'report.proxmox.missingOptional': 'Missing {{privilege}} on {{path}}: optional, needed to {{purpose}}.',
  // What the administrator's policy or the packaged defaults got wrong (the banner; {{issue}} and {{detail}} stay verbatim)
  'problem.inFile': '{{file}}: {{line}}',
  'problem.policy.notJson': 'not valid JSON ({{detail}}); the whole policy is ignored',
  'problem.policy.notObject': 'must be a JSON object; the whole policy is ignored',
  'problem.policy.unreadable': 'cannot be read ({{detail}}); the whole policy is ignored',
  'problem.policy.versionMissing': 'version: missing; add "version": 1 (read as version 1)',
  'problem.policy.versionUnsupported': 'version: {{version}} is not supported; read as version 1',
  'problem.policy.unknownSection': '{{key}}: unknown section, ignored (known: {{known}})',
  'problem.policy.notList': '{{section}}: must be a list; all of it is ignored',
  'problem.policy.entryInvalid': '{{where}}: {{issue}}; this entry is ignored',
  'problem.policy.entryRepeatsId': '{{where}}: repeats the id "{{id}}"; this entry is ignored',
  'problem.settings.notObject': '{{where}}: must be an object of settings; all of it is ignored',
  'problem.settings.unknown': '{{where}}.{{key}}: unknown setting, ignored (known: {{known}})',
  'problem.settings.updatesRemoved': '{{where}}.updatesEnabled: no longer a setting (DaaS Desktop does not update itself; updates come from your software distribution); ignored',
  'problem.settings.invalid': '{{where}}.{{key}}: {{issue}}; ignored',
  'problem.defaults.unreadable': 'cannot be read ({{detail}}); ignored',
  'problem.defaults.notJson': 'not valid JSON ({{detail}}); ignored',
  'problem.guacd.notStarted': 'guacdContainerImage: guacd did not start, displays use the built-in gateway: {{message}} {{action}}',
  'problem.guacd.notStartedBecause': 'guacdContainerImage: guacd did not start, displays use the built-in gateway: {{detail}}',
  // A long Proxmox start or stop, step by step (the instance's progress line)
  'progress.proxmox.cloning': 'Cloning VM {{templateVmid}} to {{vmid}} ({{name}}) on {{node}}',
  'progress.proxmox.tagging': 'Tagging VM {{vmid}}',
  'progress.proxmox.deleting': 'Deleting VM {{vmid}}',
  'progress.proxmox.makingTemplate': 'Converting VM {{vmid}} to a template',
  'progress.save.committing': 'Saving the container as the image {{image}}',
  'progress.proxmox.releasing': 'Releasing VM {{vmid}}',
  'progress.proxmox.starting': 'Starting VM {{vmid}} on {{node}}',
  'progress.proxmox.stopping': 'Stopping VM {{vmid}}',
  'progress.proxmox.shuttingDown': 'Shutting down VM {{vmid}}',
  // Why an instance is stopped or failed (Instance.stateReason)
  'reason.restarting': 'The instance is restarting.',
  'reason.stoppedByUser': 'Stopped by the user.',
  'reason.forceStoppedByUser': 'Force-stopped by the user.',
  'reason.stopFailed': 'Stop failed:',
  'reason.idleStopped': {
    one: 'Stopped after {{count}} minute without a viewer or input.',
    other: 'Stopped after {{count}} minutes without a viewer or input.',
  },
  'reason.removedOutside': 'Its container was removed outside DaaS Desktop.',
  'reason.stoppedOutside': 'Its container stopped outside DaaS Desktop.',
  'reason.stoppedOutsideCode': 'Its container stopped outside DaaS Desktop (exit code {{code}}).',
  'reason.killedOutside': 'Its container stopped outside DaaS Desktop (exit code {{code}}, killed).',
  'reason.goneWhenLooked': 'Its container or VM was gone when DaaS Desktop looked.',
  'reason.stoppedWhileAwayKept':
    'Its container or VM stopped while DaaS Desktop was closed or could not reach its engine (for example while the Docker engine restarted). It is kept, with its files, until you remove the instance.',
  'reason.reattached': 'Its engine started it again; DaaS Desktop re-attached it.',
  'reason.failedExpired': 'Its container or VM was removed {{hours}} hours after the instance failed.',
  'reason.closedWhile': 'DaaS Desktop was closed while the instance was {{state}}; it was cleaned up.',
  'reason.adopted': 'DaaS Desktop adopted it after it restarted.',
  'reason.lastLogLines': 'Last log lines:',
} as const;

export type ErrorTextKey = keyof typeof ERROR_TEXTS;
/** The shape every language's error texts have: the same keys, strings or plural forms. */
export type ErrorTexts = {
  readonly [K in ErrorTextKey]: (typeof ERROR_TEXTS)[K] extends string ? string : { readonly one: string; readonly other: string };
};
export const ERROR_TEXT_KEYS = Object.keys(ERROR_TEXTS) as ErrorTextKey[];

type TextOf<V> = V extends string ? V : V extends { readonly one: infer O; readonly other: infer R } ? O | R : never;
type NamesIn<S> = S extends `${string}{{${infer P}}}${infer Rest}` ? P | NamesIn<Rest> : never;
type ParamNames<K extends ErrorTextKey> = NamesIn<TextOf<(typeof ERROR_TEXTS)[K]>> | ((typeof ERROR_TEXTS)[K] extends string ? never : 'count');

export type ErrorParams = Record<string, string | number>;
/** The values a text needs: none, or one per `{{name}}` (plurals also need `count`). */
export type ErrorTextArgs<K extends ErrorTextKey> = [ParamNames<K>] extends [never] ? [] : [params: { [P in ParamNames<K>]: string | number }];

/** One translatable sentence: its key, its parameters, and its English text. */
export interface ErrorText {
  readonly key: ErrorTextKey;
  readonly params: ErrorParams;
  readonly text: string;
}

/** Fills `{{name}}` from params; unknown names stay as written. */
export function fillTemplate(template: string, params: ErrorParams): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

/** The English text of a key (plurals by English rules). */
export function englishErrorText(key: ErrorTextKey, params: ErrorParams = {}): string {
  return renderErrorText(ERROR_TEXTS, 'en', key, params);
}

/** Fills a key's words in a language (plurals by that language's rules); nested keys too. */
export function renderErrorText(texts: ErrorTexts, locale: string, key: ErrorTextKey, params: ErrorParams = {}): string {
  const template: string | { readonly one: string; readonly other: string } = texts[key];
  const filled: ErrorParams = {};
  for (const [name, value] of Object.entries(params)) {
    filled[name] = isErrorTextKey(value) && value !== key ? renderErrorText(texts, locale, value, { ...params, [name]: '' }) : value;
  }
  if (typeof template === 'string') return fillTemplate(template, filled);
  return fillTemplate(new Intl.PluralRules(locale).select(Number(params.count)) === 'one' ? template.one : template.other, filled);
}

/** A translatable error sentence: `new DaasError(code, errorText('error.x', {...}), errorText('fix.y'))`. */
export function errorText<K extends ErrorTextKey>(key: K, ...args: ErrorTextArgs<K>): ErrorText {
  const params: ErrorParams = { ...((args[0] as ErrorParams | undefined) ?? {}) };
  return { key, params, text: englishErrorText(key, params) };
}

/**
 * A sentence whose parameters are sentences too (`'{{first}} Then: {{then}}'`): each part's key
 * becomes the parameter and its parameters join the whole, so every part is translated. A part
 * whose parameters would clash with another's goes in as its English text instead.
 */
export function composeText(key: ErrorTextKey, parts: Record<string, ErrorText | string | number>): ErrorText {
  const params: ErrorParams = {};
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part !== 'object') params[name] = part;
    else if (Object.entries(part.params).every(([n, v]) => params[n] === undefined || params[n] === v) && !Object.hasOwn(part.params, name)) {
      Object.assign(params, part.params);
      params[name] = part.key;
    } else params[name] = part.text;
  }
  return { key, params, text: englishErrorText(key, params) };
}

/** Why an instance is in its state, translatable: sentences, then log lines kept verbatim. */
export interface StateReasonText {
  texts: { key: ErrorTextKey; params: ErrorParams }[];
  logs?: string;
}

/** A state reason from sentences (and log lines): its English text and its translatable form. */
export function stateReason(texts: readonly ErrorText[], logs?: string): { text: string; reason: StateReasonText } {
  const english = texts.map((t) => t.text).join(' ') + (logs ? `\n${englishErrorText('reason.lastLogLines')}\n${logs}` : '');
  return { text: english, reason: { texts: texts.map(({ key, params }) => ({ key, params })), ...(logs ? { logs } : {}) } };
}

export function isErrorTextKey(value: unknown): value is ErrorTextKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_TEXTS, value);
}
