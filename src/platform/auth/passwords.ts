// Passwords: argon2id hashes (OWASP minimum 19 MiB, 2 passes by default), a policy that
// follows NIST SP 800-63B (length over composition rules, no common or context-derived
// passwords), and e-mail normalisation so one mailbox is one account.
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { ValidationError } from '../errors.js';

// `Algorithm` is a const enum, which isolated modules cannot read; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

export interface HashCost {
  memoryKib: number;
  iterations: number;
}

export function hashPassword(password: string, cost: HashCost): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: cost.memoryKib, timeCost: cost.iterations, parallelism: 1 });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

const EMAIL_RE = /^[^\s@]{1,64}@(?=.{1,253}$)[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?(?:\.[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?)+$/;

/** Trim, Unicode-normalise and lower-case; throws ValidationError when it is not an address. */
export function normaliseEmail(input: string, field = 'email'): string {
  const email = input.normalize('NFC').trim().toLowerCase();
  if (email.length > 254 || !EMAIL_RE.test(email)) throw new ValidationError(`${field} is not a valid e-mail address`, field);
  return email;
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

// The most common leaked passwords that meet the length rule (from public breach
// frequency lists); anything on it would fall to the first guesses of any attacker.
const COMMON = new Set([
  '1234567890', '12345678910', 'qwertyuiop', '0123456789', '1q2w3e4r5t', 'password12', 'password123',
  'password1234', 'iloveyou12', 'qwerty1234', 'qwerty12345', '1qaz2wsx3edc', 'aaaaaaaaaa', '1111111111',
  'abcdefghij', 'abc1234567', 'q1w2e3r4t5', 'zaq12wsxcde', 'passw0rd123', 'letmein123', 'welcome123',
  'football123', 'baseball123', 'basketball', 'basketball1', 'footballer', 'liverpool1', 'manchester',
  'chelsea123', 'arsenal123', 'sunshine12', 'princess12', 'dragon1234', 'monkey1234', 'trustno1234',
  'administrator', 'admin12345', 'changeme123', 'sharpline1', 'sharpline123', 'p@ssw0rd123', 'qwertyuiop1',
]);

/** The reasons a password is refused (empty when it is acceptable). */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (password.trim() !== password) problems.push('must not start or end with whitespace');
  if (new Set(password).size < 5) problems.push('must use at least 5 different characters');
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) problems.push('is too common');
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) problems.push('must not contain your e-mail name');
  return problems;
}

export function assertPasswordPolicy(password: string, email?: string): void {
  const problems = passwordProblems(password, email);
  if (problems.length > 0) throw new ValidationError(`password ${problems.join('; ')}`, 'password', undefined, problems);
}
