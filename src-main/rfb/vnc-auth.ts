// VNC Authentication (security type 2): DES-encrypt the 16-byte challenge with the password.
// Node 20's OpenSSL 3 refuses single DES ("des-ecb"); 3DES-EDE with the same 8-byte key
// three times is mathematically single DES (E(K) D(K) E(K) = E(K)).
import { createCipheriv } from 'node:crypto';

/** VNC reverses the bit order of every key byte (a historical quirk of its DES code). */
function reverseBits(b: number): number {
  let out = 0;
  for (let i = 0; i < 8; i++) out = (out << 1) | ((b >> i) & 1);
  return out;
}

/**
 * The password's first 8 bytes, zero-padded, bit-reversed per byte. Bytes are UTF-8, as
 * tigervncpasswd and libvncclient (guacd) see a password typed on a UTF-8 system.
 */
export function vncAuthKey(password: string): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) key[i] = reverseBits(key[i]!);
  return key;
}

export function desEncryptEcb(key8: Buffer, data: Buffer): Buffer {
  if (key8.length !== 8) throw new RangeError('DES key must be 8 bytes');
  if (data.length % 8 !== 0) throw new RangeError('DES input must be whole 8-byte blocks');
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key8, key8, key8]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  if (challenge.length !== 16) throw new RangeError('VNC challenge must be 16 bytes');
  return desEncryptEcb(vncAuthKey(password), challenge);
}
