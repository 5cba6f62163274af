// Terminals: shells inside running instances, each owned by the window that opened it.
// Output goes to that window only (as terminal.output events), input is taken only from
// it, and the shell ends when the window closes it, the window goes, or the instance ends.
import { randomUUID } from 'node:crypto';
import { MAX_TERMINAL_OUTPUT, type DaasEvent } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { ShellSession } from '../providers/provider';
import type { EventBus } from './instance-events';
import { textChunks } from '../../src-shared/text-chunks';

/** The window (or browser socket) a request came from, as its transport knows it. */
export interface ClientLink {
  /** Stable for as long as the window's connection lives. */
  readonly id: string;
  /** Delivers an event to this window only. */
  send(event: DaasEvent): void;
  /** Called once when the window or its connection goes. */
  onClose(listener: () => void): void;
}

/** Terminals open at once, in all windows together. */
export const MAX_TERMINALS = 8;
/** Output is gathered this long before it is sent, so a burst becomes a few events. */
const FLUSH_MS = 15;

interface Session {
  instanceId: string;
  client: ClientLink;
  shell: ShellSession;
  pending: string;
  timer: NodeJS.Timeout | null;
}

export class Terminals {
  private readonly sessions = new Map<string, Session>();
  private readonly watchedClients = new Set<string>();

  constructor(
    private readonly openShell: (instanceId: string, size: { cols: number; rows: number }) => Promise<ShellSession>,
    bus: EventBus,
  ) {
    // A stopped desktop takes its terminals with it.
    bus.subscribe((e) => {
      if (e.event === 'instance.changed' && e.payload.state !== 'running' && e.payload.state !== 'starting') {
        for (const [id, session] of this.sessions) if (session.instanceId === e.payload.id) void this.end(id);
      }
    });
  }

  get count(): number {
    return this.sessions.size;
  }

  async open(instanceId: string, size: { cols: number; rows: number }, client: ClientLink | undefined): Promise<{ terminalId: string }> {
    if (!client) throw notFound();
    if (this.sessions.size >= MAX_TERMINALS) {
      throw new DaasError('INVALID_REQUEST', errorText('error.terminal.tooMany', { max: MAX_TERMINALS }), errorText('fix.terminal.closeOne'));
    }
    const shell = await this.openShell(instanceId, size);
    const terminalId = randomUUID();
    const session: Session = { instanceId, client, shell, pending: '', timer: null };
    this.sessions.set(terminalId, session);
    shell.onData((text) => {
      session.pending += text;
      session.timer ??= setTimeout(() => this.flush(terminalId, session), FLUSH_MS);
    });
    shell.onExit(() => void this.end(terminalId));
    if (!this.watchedClients.has(client.id)) {
      this.watchedClients.add(client.id);
      client.onClose(() => {
        this.watchedClients.delete(client.id);
        for (const [id, s] of this.sessions) if (s.client.id === client.id) void this.end(id);
      });
    }
    return { terminalId };
  }

  input(terminalId: string, data: string, client: ClientLink | undefined): void {
    this.owned(terminalId, client).shell.write(data);
  }

  async resize(terminalId: string, cols: number, rows: number, client: ClientLink | undefined): Promise<void> {
    await this.owned(terminalId, client).shell.resize(cols, rows);
  }

  async close(terminalId: string, client: ClientLink | undefined): Promise<void> {
    this.owned(terminalId, client);
    await this.end(terminalId);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id)));
  }

  /** Another window's terminal is as unknown to this one as an ended one. */
  private owned(terminalId: string, client: ClientLink | undefined): Session {
    const session = this.sessions.get(terminalId);
    if (!session || !client || session.client.id !== client.id) throw notFound();
    return session;
  }

  private flush(terminalId: string, session: Session): void {
    session.timer = null;
    const text = session.pending;
    session.pending = '';
    for (const data of textChunks(text, MAX_TERMINAL_OUTPUT)) session.client.send({ event: 'terminal.output', payload: { terminalId, data } });
  }

  private async end(terminalId: string): Promise<void> {
    const session = this.sessions.get(terminalId);
    if (!session) return;
    this.sessions.delete(terminalId);
    if (session.timer) clearTimeout(session.timer);
    this.flush(terminalId, session);
    session.client.send({ event: 'terminal.exit', payload: { terminalId } });
    await session.shell.close().catch((err) => console.warn(`terminal close: ${err instanceof Error ? err.message : String(err)}`));
  }
}

function notFound(): DaasError {
  return new DaasError('INVALID_REQUEST', errorText('error.terminal.notFound'), errorText('fix.terminal.openAgain'));
}
