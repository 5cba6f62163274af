// The VNC clipboard, both ways. A server that speaks the Extended Clipboard (TigerVNC, QEMU)
// gets and gives UTF-8 text of any script through it (see rfb/extended-clipboard); for any
// other, RFB cut text is ISO 8859-1 by the standard, and guacd's
// `clipboard-encoding` lets a server that deviates use UTF-8, UTF-16 or CP1252 instead. The
// Guacamole side is always UTF-8 text, carried in `clipboard` streams (gateway/streams.ts
// receives them and holds their limits). Per-viewer settings: read-only and disable-paste
// refuse its pastes, disable-copy keeps the desktop's clipboard from it.
import { GuacStatus, GuacStatusError } from '../gateway/status';
import type { DisplayWriter } from '../gateway/display-writer';
import type { VncSettings } from './vnc-settings';

export type ClipboardEncoding = 'ISO8859-1' | 'UTF-8' | 'UTF-16' | 'CP1252';

export function parseClipboardEncoding(v: string | undefined): ClipboardEncoding {
  switch ((v ?? '').toUpperCase()) {
    case 'UTF-8':
      return 'UTF-8';
    case 'UTF-16':
      return 'UTF-16';
    case 'CP1252':
      return 'CP1252';
    default:
      return 'ISO8859-1';
  }
}

/** CP1252 code points for bytes 0x80..0x9F (0 where the code page leaves a hole). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Characters the encoding cannot carry become '?', as iconv's //TRANSLIT-free conversion in guacd drops them. */
export function encodeClipboard(text: string, encoding: ClipboardEncoding): Buffer {
  switch (encoding) {
    case 'UTF-8':
      return Buffer.from(text, 'utf8');
    case 'UTF-16':
      return Buffer.from(text, 'utf16le');
    case 'ISO8859-1':
    case 'CP1252': {
      const out: number[] = [];
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff) || (encoding === 'ISO8859-1' && cp <= 0xff)) out.push(cp);
        else if (encoding === 'CP1252' && CP1252_HIGH.includes(cp)) out.push(0x80 + CP1252_HIGH.indexOf(cp));
        else out.push(0x3f);
      }
      return Buffer.from(out);
    }
  }
}

export function decodeClipboard(bytes: Buffer, encoding: ClipboardEncoding): string {
  switch (encoding) {
    case 'UTF-8':
      return bytes.toString('utf8');
    case 'UTF-16':
      return bytes.toString('utf16le');
    case 'ISO8859-1':
      return bytes.toString('latin1');
    case 'CP1252': {
      let s = '';
      for (const b of bytes) s += String.fromCodePoint(b >= 0x80 && b <= 0x9f && CP1252_HIGH[b - 0x80] ? CP1252_HIGH[b - 0x80]! : b);
      return s;
    }
  }
}

/** A viewer, as far as the clipboard is concerned. */
interface ClipboardViewer {
  readonly settings: VncSettings;
  readonly writer: DisplayWriter;
}

/** The desktop's clipboard as one VNC connection shares it among its viewers. */
export class VncClipboard {
  /** The desktop's last cut text, for viewers that join later. */
  private text: string | null = null;

  constructor(private readonly encoding: ClipboardEncoding) {}

  /** Refuses (throws GuacStatusError) a paste stream this viewer may not open. */
  acceptPaste(viewer: ClipboardViewer, mimetype: string | undefined): void {
    if (viewer.settings.readOnly || viewer.settings.disablePaste) {
      throw new GuacStatusError('Clipboard is read-only', GuacStatus.CLIENT_FORBIDDEN);
    }
    if (!/^text\//.test(mimetype ?? '')) throw new GuacStatusError('Only text can be pasted', GuacStatus.CLIENT_BAD_TYPE);
  }

  /** A viewer's pasted text as RFB ClientCutText bytes. */
  toServer(data: Buffer): Buffer {
    return encodeClipboard(data.toString('utf8'), this.encoding);
  }

  /** The server's classic cut text, to every viewer that may copy. */
  fromServer(bytes: Buffer, viewers: Iterable<ClipboardViewer>): void {
    this.fromServerText(decodeClipboard(bytes, this.encoding), viewers);
  }

  /** The server's clipboard text (Extended Clipboard, already decoded), to every viewer that may copy. */
  fromServerText(text: string, viewers: Iterable<ClipboardViewer>): void {
    this.text = text;
    for (const v of viewers) this.show(v);
  }

  /** A viewer that joins gets the desktop's current clipboard. */
  show(viewer: ClipboardViewer): void {
    if (this.text !== null && !viewer.settings.disableCopy) viewer.writer.clipboard(this.text);
  }
}
