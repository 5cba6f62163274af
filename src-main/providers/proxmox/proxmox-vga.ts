// The `vga` option of a Proxmox VM, a property string: `[[type=]<enum>] [,clipboard=<vnc>]
// [,memory=<integer>]` (qemu-server's schema). `clipboard=vnc` (Proxmox VE 8.1+) makes QEMU
// share the guest's clipboard (through its SPICE agent) over VNC.

/** `vga` with `clipboard=vnc` added (or kept), the type and memory left as they were. */
export function withVncClipboard(vga: string | undefined): string {
  const parts = (vga ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const kept = parts.filter((p) => !p.startsWith('clipboard='));
  // The type may be given bare or as type=...; absent, Proxmox's default is std.
  if (!kept.some((p, i) => (i === 0 && !p.includes('=')) || p.startsWith('type='))) kept.unshift('std');
  return [...kept, 'clipboard=vnc'].join(',');
}
