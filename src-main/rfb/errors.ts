// Typed RFB failures, so the gateway can map them to Guacamole status codes.

/** The server refused our credentials (or refused us before authentication). */
export class RfbAuthError extends Error {
  override readonly name = 'RfbAuthError';
  constructor(
    /** The server's reason string, when it sent one. */
    readonly reason: string,
    /** True when the server gave up on us after repeated failures (blacklisting). */
    readonly tooManyAttempts = false,
  ) {
    super(reason ? `VNC authentication failed: ${reason}` : 'VNC authentication failed');
  }
}

/** The server said something we cannot parse or do not support. */
export class RfbProtocolError extends Error {
  override readonly name = 'RfbProtocolError';
}

/** The server ended the connection (before or after the handshake). */
export class RfbClosedError extends Error {
  override readonly name = 'RfbClosedError';
}
