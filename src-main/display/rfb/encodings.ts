// RFB encoding numbers (rfbproto "Encodings"); pseudo-encodings are negative.

export const Encoding = {
  Raw: 0,
  CopyRect: 1,
  DesktopSize: -223,
} as const;

export type EncodingNumber = (typeof Encoding)[keyof typeof Encoding];

/** What we ask for, in order of preference. */
export const REQUESTED_ENCODINGS: readonly number[] = [Encoding.CopyRect, Encoding.Raw, Encoding.DesktopSize];
