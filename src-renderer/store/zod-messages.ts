// Turns zod issues into sentences a person reads. The shared schemas carry human
// messages where they matter; zod's own defaults ("Too small: expected number to be
// >=320") are rewritten here.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

function isDefaultMessage(message: string): boolean {
  return /^(Too small|Too big|Invalid input|Invalid key in record|Invalid string|Invalid option|Unrecognized key)/.test(message);
}

function describeDefault(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'fill this in' : `use at least ${issue.minimum} characters`;
      if (issue.origin === 'number') return `use ${issue.minimum} or more`;
      return `give at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `keep it to ${issue.maximum} characters or fewer`;
      if (issue.origin === 'number') return `use ${issue.maximum} or less`;
      return `give at most ${issue.maximum}`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'use a whole number' : 'this value has the wrong form';
    case 'invalid_key': {
      const key = issue.path[issue.path.length - 1];
      const inner = issue.issues[0]?.message ?? 'this name is not allowed';
      return `${typeof key === 'string' ? `"${key}": ` : ''}${inner}`;
    }
    case 'unrecognized_keys':
      return `not a known setting: ${issue.keys.join(', ')}`;
    default:
      return 'this value is not valid';
  }
}

/** One readable sentence for one issue (without a trailing full stop). */
export function issueMessage(issue: Issue): string {
  return isDefaultMessage(issue.message) ? describeDefault(issue) : issue.message;
}
