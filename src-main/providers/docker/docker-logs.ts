// Docker multiplexes stdout and stderr of a non-TTY container into 8-byte-framed chunks.

export function demuxLogs(raw: Buffer | string): string {
  if (typeof raw === 'string') return raw;
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const stream = raw[offset];
    const size = raw.readUInt32BE(offset + 4);
    if (stream === undefined || stream > 2 || raw[offset + 1] !== 0) return raw.toString('utf8'); // not multiplexed
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
