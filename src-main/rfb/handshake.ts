// Client side of the RFB handshake as a push state machine: feed it the received bytes,
// send what it returns. It never waits on a socket itself, so it can be tested with
// arbitrary fragmentation.
import { parseRfbBanner, RFB_BANNER_LENGTH, rfbBanner } from './banner';
import { ByteQueue } from './byte-queue';
import { RfbAuthError, RfbProtocolError } from './errors';
import { checkFramebufferSize } from './limits';
import { decodePixelFormat, PixelFormat } from './pixel-format';
import { vncAuthResponse } from './vnc-auth';

export type RfbVersion = '3.3' | '3.7' | '3.8';

export const SecurityType = { Invalid: 0, None: 1, VncAuth: 2 } as const;

export interface ServerInit {
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  name: string;
}

export interface HandshakeOptions {
  password?: string;
  /**
   * With no password, wait for one (see `awaitingPassword`, `supplyPassword`) when the server
   * asks for VNC Authentication, instead of failing: guacd's `required` prompt.
   */
  promptForPassword?: boolean;
  /** ClientInit shared-flag: 1 leaves other viewers connected. */
  shared?: boolean;
  /**
   * Done once the server accepts us, before ClientInit: for a relay (the Proxmox console
   * bridge), whose own client sends ClientInit and reads ServerInit through it.
   */
  untilAuthenticated?: boolean;
}

export interface HandshakeProgress {
  send: Buffer[];
  /** Set once the handshake is complete. */
  serverInit?: ServerInit;
}

// Reason and name strings are length-prefixed: cap them so a bogus length can't make us buffer forever.
const MAX_STRING = 64 * 1024;

type State = 'version' | 'security-types' | 'security-type-33' | 'challenge' | 'security-result' | 'server-init' | 'done';

/** Picks the version we answer with: the highest we speak that the server does too. */
export function chooseVersion(banner: string): RfbVersion {
  const parsed = parseRfbBanner(banner);
  if (!parsed) throw new RfbProtocolError('not a VNC server (bad protocol banner)');
  const { major, minor } = parsed;
  if (major < 3) throw new RfbProtocolError(`unsupported RFB version ${major}.${minor}`);
  if (major > 3 || minor >= 8) return '3.8';
  if (minor === 7) return '3.7';
  return '3.3'; // 3.3 and vendor variants such as 3.4/3.6 speak 3.3
}

/** Reads a u32-length-prefixed string at `offset`; null if not all there yet. */
function peekString(q: ByteQueue, offset: number): { text: string; size: number } | null {
  if (q.length < offset + 4) return null;
  const len = q.peekU32(offset);
  if (len > MAX_STRING) throw new RfbProtocolError(`string of ${len} bytes is too long`);
  if (q.length < offset + 4 + len) return null;
  q.skip(offset + 4);
  return { text: q.read(len).toString('utf8'), size: offset + 4 + len };
}

export function parseServerInit(q: ByteQueue): ServerInit | null {
  if (q.length < 24) return null;
  const nameLen = q.peekU32(20);
  if (nameLen > MAX_STRING) throw new RfbProtocolError(`desktop name of ${nameLen} bytes is too long`);
  if (q.length < 24 + nameLen) return null;
  const head = q.read(24);
  const width = head.readUInt16BE(0);
  const height = head.readUInt16BE(2);
  checkFramebufferSize(width, height, 'ServerInit');
  return {
    width,
    height,
    pixelFormat: decodePixelFormat(head.subarray(4, 20)),
    name: q.read(nameLen).toString('utf8'),
  };
}

export class RfbHandshake {
  private state: State = 'version';
  private chosen: RfbVersion = '3.8';
  private securityType: number = SecurityType.None;
  private password: string | undefined;

  constructor(private readonly options: HandshakeOptions = {}) {
    this.password = options.password || undefined;
  }

  /** The server sent its VNC Authentication challenge and we have no password to answer with. */
  get awaitingPassword(): boolean {
    return this.state === 'challenge' && this.password === undefined;
  }

  /** The password for a handshake that is awaiting one; call `advance` again afterwards. */
  supplyPassword(password: string): void {
    this.password = password;
  }

  get version(): RfbVersion {
    return this.chosen;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /** Consumes as much as the queue allows. Throws RfbAuthError / RfbProtocolError. */
  advance(q: ByteQueue): HandshakeProgress {
    const send: Buffer[] = [];
    for (;;) {
      const before = this.state;
      const serverInit = this.step(q, send);
      if (serverInit) return { send, serverInit };
      if (this.state === before) return { send };
    }
  }

  private step(q: ByteQueue, send: Buffer[]): ServerInit | null {
    switch (this.state) {
      case 'version': {
        if (q.length < RFB_BANNER_LENGTH) return null;
        this.chosen = chooseVersion(q.read(RFB_BANNER_LENGTH).toString('latin1'));
        send.push(rfbBanner(this.chosen === '3.8' ? 8 : this.chosen === '3.7' ? 7 : 3));
        this.state = this.chosen === '3.3' ? 'security-type-33' : 'security-types';
        return null;
      }
      case 'security-types': {
        if (q.length < 1) return null;
        const count = q.peekU8(0);
        if (count === 0) {
          const reason = peekString(q, 1);
          if (!reason) return null;
          throw refusal(reason.text);
        }
        if (q.length < 1 + count) return null;
        q.skip(1);
        const offered = [...q.read(count)];
        this.securityType = this.pickSecurity(offered);
        send.push(Buffer.from([this.securityType]));
        this.afterSecurityChosen(send);
        return null;
      }
      case 'security-type-33': {
        if (q.length < 4) return null;
        const type = q.peekU32(0);
        if (type === SecurityType.Invalid) {
          const reason = peekString(q, 4);
          if (!reason) return null;
          throw refusal(reason.text);
        }
        q.skip(4);
        if (type !== SecurityType.None && type !== SecurityType.VncAuth) {
          throw new RfbProtocolError(`unsupported security type ${type}`);
        }
        if (type === SecurityType.VncAuth && !this.password && !this.options.promptForPassword) {
          throw new RfbAuthError('the VNC server requires a password');
        }
        this.securityType = type;
        this.afterSecurityChosen(send);
        return null;
      }
      case 'challenge': {
        if (q.length < 16 || this.password === undefined) return null;
        send.push(vncAuthResponse(this.password, q.read(16)));
        this.state = 'security-result';
        return null;
      }
      case 'security-result': {
        if (q.length < 4) return null;
        const result = q.peekU32(0);
        if (result === 0) {
          q.skip(4);
          this.authenticated(send);
          return null;
        }
        // Only 3.8 follows a failure with a reason string.
        let reason = '';
        if (this.chosen === '3.8') {
          const r = peekString(q, 4);
          if (!r) return null;
          reason = r.text;
        } else {
          q.skip(4);
        }
        throw new RfbAuthError(reason, result === 2 || /too many/i.test(reason));
      }
      case 'server-init': {
        const init = parseServerInit(q);
        if (!init) return null;
        this.state = 'done';
        return init;
      }
      case 'done':
        return null;
    }
  }

  private pickSecurity(offered: number[]): number {
    // None needs nothing from us; otherwise VNC Authentication with the password.
    if (offered.includes(SecurityType.None)) return SecurityType.None;
    if (offered.includes(SecurityType.VncAuth)) {
      if (!this.password && !this.options.promptForPassword) throw new RfbAuthError('the VNC server requires a password');
      return SecurityType.VncAuth;
    }
    throw new RfbProtocolError(`no supported security type (server offers ${offered.join(', ')})`);
  }

  private afterSecurityChosen(send: Buffer[]): void {
    if (this.securityType === SecurityType.VncAuth) {
      this.state = 'challenge';
    } else if (this.chosen === '3.8') {
      this.state = 'security-result'; // 3.8 confirms even security type None
    } else {
      this.authenticated(send); // 3.3/3.7 send no result for None
    }
  }

  private authenticated(send: Buffer[]): void {
    if (this.options.untilAuthenticated) {
      this.state = 'done';
      return;
    }
    send.push(Buffer.from([this.options.shared === false ? 0 : 1])); // ClientInit
    this.state = 'server-init';
  }
}

function refusal(reason: string): Error {
  // TigerVNC refuses with "Too many security failures" once it blacklists our address.
  if (/too many|blacklist/i.test(reason)) return new RfbAuthError(reason, true);
  return new RfbProtocolError(`VNC server refused the connection: ${reason}`);
}
