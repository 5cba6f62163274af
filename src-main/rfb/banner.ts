// The RFB ProtocolVersion message, "RFB xxx.yyy\n" (12 bytes), which both sides send first:
// the one parser for the gateway's RFB client, the Proxmox console bridge and the readiness check.

export const RFB_BANNER_LENGTH = 12;

export interface RfbBanner {
  major: number;
  minor: number;
}

/** The version a 12-byte banner names, or null if it is not an RFB banner. */
export function parseRfbBanner(banner: Buffer | string): RfbBanner | null {
  const text = typeof banner === 'string' ? banner : banner.toString('latin1');
  const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** Our banner for RFB 3.`minor`. */
export function rfbBanner(minor: 3 | 7 | 8): Buffer {
  return Buffer.from(`RFB 003.00${minor}\n`, 'latin1');
}
