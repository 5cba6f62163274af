// Server side of the guacd handshake:
//   select,<protocol>  ->  args,VERSION_1_5_0,<that protocol's names>
//   size / audio / video / image / timezone / name (any order)  ->  (remembered)
//   connect,<version>,<values in args order>  ->  done (caller sends `ready`)
import { Instruction } from '../guacamole/protocol';
import { GuacStatus, GuacStatusError } from './status';

export const PROTOCOL_VERSION = 'VERSION_1_5_0';

/** Whether a client's protocol version (VERSION_x_y_z) is at least x.y.0 (1.5.0 brought `msg`). */
export function protocolAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^VERSION_(\d+)_(\d+)_(\d+)$/.exec(version);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

export interface ClientInfo {
  optimalWidth: number;
  optimalHeight: number;
  dpi: number;
  audio: string[];
  video: string[];
  image: string[];
  timezone?: string;
  name?: string;
  /** The protocol version the client answered with (1.0.0 clients send none). */
  protocolVersion: string;
}

export type HandshakeResult =
  | { kind: 'reply'; instruction: Instruction }
  | { kind: 'continue' }
  | { kind: 'connect'; protocol: string; values: string[]; client: ClientInfo };

/** The `args` names of a protocol the gateway speaks, or undefined if it speaks none by that name. */
export type ProtocolLookup = (name: string) => readonly string[] | undefined;

export class GuacdHandshake {
  private selected: string | null = null;
  private readonly client: ClientInfo = {
    optimalWidth: 1024,
    optimalHeight: 768,
    dpi: 96,
    audio: [],
    video: [],
    image: [],
    protocolVersion: 'VERSION_1_0_0',
  };

  constructor(private readonly lookup: ProtocolLookup) {}

  /** Feeds one instruction from the client. Throws GuacStatusError on a violation. */
  receive([opcode, ...args]: Instruction): HandshakeResult {
    if (!this.selected) {
      if (opcode !== 'select') throw new GuacStatusError(`expected "select", got "${opcode}"`, GuacStatus.CLIENT_BAD_REQUEST);
      const id = args[0] ?? '';
      if (id.startsWith('$')) throw new GuacStatusError('Joining an existing connection is not supported', GuacStatus.RESOURCE_NOT_FOUND);
      // guacd answers a protocol it has no plugin for in the same way.
      const argNames = this.lookup(id);
      if (!argNames) throw new GuacStatusError(`Protocol "${id}" is not supported`, GuacStatus.UNSUPPORTED);
      this.selected = id;
      return { kind: 'reply', instruction: ['args', PROTOCOL_VERSION, ...argNames] };
    }
    switch (opcode) {
      case 'size':
        this.client.optimalWidth = positive(args[0], 1024);
        this.client.optimalHeight = positive(args[1], 768);
        this.client.dpi = positive(args[2], 96);
        return { kind: 'continue' };
      case 'audio':
      case 'video':
      case 'image':
        this.client[opcode] = args;
        return { kind: 'continue' };
      case 'timezone':
        this.client.timezone = args[0];
        return { kind: 'continue' };
      case 'name':
        this.client.name = args[0];
        return { kind: 'continue' };
      case 'connect': {
        let values = args;
        if (values[0]?.startsWith('VERSION_')) {
          this.client.protocolVersion = values[0];
          values = values.slice(1);
        }
        return { kind: 'connect', protocol: this.selected, values, client: this.client };
      }
      default:
        // Newer clients may send handshake instructions we don't know: ignore, as guacd does.
        return { kind: 'continue' };
    }
  }
}

function positive(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
