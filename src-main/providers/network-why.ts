// Why a connection to a backend failed, for a person: a known cause as a key of its
// translatable words (`why.net.*`), anything else in Node's own words.

export function networkWhy(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED') return 'why.net.refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'why.net.unknownHost';
  if (code === 'ETIMEDOUT') return 'why.net.timedOut';
  if (code === 'ECONNRESET') return 'why.net.reset';
  return (err as Error | null)?.message ?? 'network error';
}
