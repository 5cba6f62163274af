// One viewer's connection to the gateway: the guacd handshake, which picks the protocol the
// client selects from the registry, then this viewer's side of that protocol's (possibly
// shared) remote desktop connection: its input goes there, its frames come from it.
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { Instruction } from '../guacamole/protocol';
import { AUDIO_GRANT_ARG, type AudioGrant } from '../audio/audio-grants';
import { FILE_GRANT_ARG, type FileGrant } from '../files/file-grants';
import type { LaneIssuer } from '../files/transfer-lanes';
import { loadJpegEncoder } from '../image/jpeg-encoder';
import { acceptsL16, AudioOut } from './audio-out';
import { DisplayWriter } from './display-writer';
import { StatusCodes, toClientError } from './error-status';
import { FileDownloads } from './file-download';
import { FolderUploads, openFileStream } from './file-upload';
import { GuacdHandshake } from './handshake';
import { openMicrophoneStream } from './microphone-in';
import { GuacSocket, GuacSocketOptions } from './guac-socket';
import { GatewayViewer, ProtocolRegistry, ProtocolViewer } from './protocol';
import { GuacStatus, GuacStatusError } from './status';
import { InboundStreams, isStreamKind, StreamKind } from './streams';

export interface ViewerSessionOptions extends GuacSocketOptions {
  /** Time allowed for the client's handshake (guacd: 15 s). */
  handshakeTimeoutMs?: number;
  onClose?: (session: ViewerSession) => void;
  log?: (message: string) => void;
  /** `guacd` in the standalone drop-in (error-status.ts); the app's viewer gets `detailed` codes. */
  statusCodes?: StatusCodes;
  /** The file grants display tickets name (display/files/file-grants.ts); without them no `file` stream is taken. */
  files?: { take(id: string): FileGrant | undefined };
  /** The audio grants display tickets name (display/audio/audio-grants.ts); without them no sound either way. */
  audio?: { take(id: string): AudioGrant | undefined };
  /** Transfer lanes on the app's tunnel (display/files/transfer-lanes.ts); without them file bytes go in blobs only. */
  lanes?: LaneIssuer;
}

type Phase = 'handshake' | 'attached' | 'closed';

// Opcodes that open a client-to-server stream of a kind the stream layer has no limits for;
// guacd answers them with `ack`.
const INBOUND_STREAMS = new Set(['pipe']);

export class ViewerSession implements GatewayViewer {
  readonly id = `$${randomUUID()}`;
  readonly writer: DisplayWriter;
  private phase: Phase = 'handshake';
  private readonly guac: GuacSocket;
  private readonly handshake: GuacdHandshake;
  private viewer: ProtocolViewer | null = null;
  private handshakeTimer: NodeJS.Timeout | null;
  private readonly streams: InboundStreams;
  /** Which instance's files this viewer may reach, from its ticket; none: `file` streams are refused. */
  private fileGrant: FileGrant | undefined;
  private readonly folderUploads = new FolderUploads();
  private downloads: FileDownloads | null = null;
  /** Whether this viewer hears the desktop and may send its microphone, from its ticket. */
  private audioGrant: AudioGrant | undefined;
  private audioOut: AudioOut | null = null;

  constructor(
    socket: Socket,
    private readonly protocols: ProtocolRegistry,
    private readonly options: ViewerSessionOptions = {},
  ) {
    // Every protocol's parameters, then the gateway's own (a guacd announces none of these,
    // so the same tickets work there).
    this.handshake = new GuacdHandshake((name) => {
      const names = protocols.get(name)?.argNames;
      return names && [...names, FILE_GRANT_ARG, AUDIO_GRANT_ARG];
    });
    this.guac = new GuacSocket(
      socket,
      {
        onInstruction: (ins) => this.onInstruction(ins),
        onProtocolError: (err, kind) =>
          this.fail(
            kind === 'timeout'
              ? new GuacStatusError(err.message, GuacStatus.CLIENT_TIMEOUT)
              : new GuacStatusError(`Malformed instruction: ${err.message}`, GuacStatus.CLIENT_BAD_REQUEST),
          ),
        onClose: () => this.shutdown(),
      },
      options,
    );
    this.writer = new DisplayWriter(this.guac, (err) => this.fail(err));
    this.streams = new InboundStreams((stream, message, status) => this.guac.send('ack', stream, message, status), options.lanes);
    this.handshakeTimer = setTimeout(
      () => this.fail(new GuacStatusError('Handshake timed out', GuacStatus.CLIENT_TIMEOUT)),
      options.handshakeTimeoutMs ?? 15_000,
    );
  }

  /** Ends the session from our side (gateway shutdown). */
  close(): void {
    if (this.phase === 'closed') return;
    this.guac.send('disconnect');
    this.shutdown();
  }

  /** The remote desktop failed, or the client broke the protocol. */
  fail(err: unknown): void {
    if (this.phase === 'closed') return;
    const { message, status } = toClientError(err, this.options.statusCodes);
    this.options.log?.(`${this.id}: ${message} (status 0x${status.toString(16).padStart(4, '0')})`);
    this.guac.send('error', message, status);
    this.guac.send('disconnect');
    this.shutdown();
  }

  private onInstruction(ins: Instruction): void {
    if (this.phase === 'handshake') return this.onHandshakeInstruction(ins);
    if (this.phase !== 'attached') return;
    const v = this.viewer!;
    const [opcode, ...args] = ins;
    switch (opcode) {
      case 'sync':
        v.acknowledge(Number(args[0]));
        return;
      case 'mouse':
        // mouse,x,y,mask
        v.pointer(Number(args[2]) | 0, Number(args[0]) | 0, Number(args[1]) | 0);
        return;
      case 'key':
        v.key(args[1] === '1', Number(args[0]) >>> 0);
        return;
      case 'size':
        v.resize(Number(args[0]) | 0, Number(args[1]) | 0);
        return;
      case 'blob':
        this.streams.blob(args[0], args[1]);
        return;
      case 'end':
        this.streams.end(args[0]);
        return;
      case 'file':
        // file,<stream>,<mimetype>,<filename>
        if (args[0] !== undefined) openFileStream(this.streams, this.fileGrant, args[0], args[1], args[2], this.folderUploads);
        return;
      case 'argv':
        // argv,<stream>,<mimetype>,<name>: a parameter's value the protocol asked for with `required`.
        if (args[0] !== undefined) this.openArgument(args[0], args[2] ?? '');
        return;
      case 'get':
        // get,<object>,<name>: a folder's listing or a file from the desktop.
        this.downloads?.get(args[0], args[1]);
        return;
      case 'audio':
        // audio,<stream>,<mimetype>: the viewer's microphone
        if (args[0] !== undefined) openMicrophoneStream(this.streams, this.audioGrant, args[0], args[1]);
        return;
      case 'ack':
        // The viewer's ack of a download's blob; else (an error status for a stream the
        // client sends) how it cancels that stream.
        if (this.downloads?.ack(args[0], Number(args[2]))) return;
        if (Number(args[2]) >= GuacStatus.UNSUPPORTED) this.streams.cancel(args[0]);
        return;
      case 'disconnect':
        this.guac.send('disconnect');
        this.shutdown();
        return;
      default:
        if (args[0] === undefined) return;
        if (isStreamKind(opcode!)) this.openStream(opcode, args[0], args[1]);
        else if (INBOUND_STREAMS.has(opcode!)) {
          this.guac.send('ack', args[0], `${opcode} is not supported`, GuacStatus.UNSUPPORTED);
        }
      // nop, internal pings ("" opcode) and anything newer: nothing to do.
    }
  }

  /** `clipboard,<stream>,<mimetype>` and the like: the protocol takes the stream or refuses it. */
  private openStream(kind: StreamKind, stream: string, mimetype: string | undefined): void {
    let sink;
    try {
      sink = this.viewer!.openStream(kind, mimetype);
    } catch (err) {
      if (err instanceof GuacStatusError) this.streams.refuse(stream, err);
      else this.fail(err);
      return;
    }
    this.streams.accept(stream, kind, sink);
  }

  private openArgument(stream: string, name: string): void {
    let sink;
    try {
      sink = this.viewer!.openArgument(name);
    } catch (err) {
      if (err instanceof GuacStatusError) this.streams.refuse(stream, err);
      else this.fail(err);
      return;
    }
    // guacd's answer to an argv stream it takes.
    if (this.streams.accept(stream, 'argv', sink)) this.guac.send('ack', stream, 'Ready for updated parameter.', GuacStatus.SUCCESS);
  }

  private onHandshakeInstruction(ins: Instruction): void {
    let result;
    try {
      result = this.handshake.receive(ins);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (result.kind === 'reply') {
      const [opcode, ...args] = result.instruction;
      this.guac.send(opcode!, ...args);
    } else if (result.kind === 'connect') {
      if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
      this.handshakeTimer = null;
      // The client's `image` instruction lists the formats it draws; PNG is always allowed.
      if (result.client.image.includes('image/jpeg')) {
        this.writer.acceptsJpeg = true;
        void loadJpegEncoder();
      }
      // guacd acknowledges the connection before dialling the remote desktop.
      this.guac.send('ready', this.id);
      this.phase = 'attached';
      const protocol = this.protocols.get(result.protocol)!;
      const grant = result.values[protocol.argNames.length];
      if (grant) this.fileGrant = this.options.files?.take(grant);
      this.downloads = new FileDownloads(this.guac, this.fileGrant, this.options.lanes);
      const audio = result.values[protocol.argNames.length + 1];
      if (audio) this.audioGrant = this.options.audio?.take(audio);
      try {
        this.viewer = protocol.attach(this, result.values.slice(0, protocol.argNames.length), result.client);
      } catch (err) {
        this.fail(err);
        return;
      }
      // Failed while attaching (its connection was already closed): nothing to detach from then.
      if ((this.phase as Phase) === 'closed') return this.viewer.detach();
      this.downloads.start();
      // Sound only with policy audio on, and only in a format the client said it plays.
      if (this.audioGrant?.playback && acceptsL16(result.client.audio)) {
        this.audioOut = new AudioOut(this.guac, this.audioGrant, this.options.log);
      }
    }
  }

  private shutdown(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.streams.abortAll();
    this.downloads?.close();
    this.audioOut?.close();
    this.viewer?.detach();
    this.guac.close();
    this.options.onClose?.(this);
  }
}
