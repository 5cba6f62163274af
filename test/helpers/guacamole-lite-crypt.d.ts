// guacamole-lite's own token decryption, used by tests to check tokens the way it reads them.
declare module 'guacamole-lite/lib/Crypt.js' {
  class Crypt {
    constructor(cypher: string, key: Buffer | string);
    decrypt(token: string): unknown;
    encrypt(data: unknown): string;
  }
  export = Crypt;
}
