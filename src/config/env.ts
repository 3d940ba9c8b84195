import { GatewayError } from '../domain/errors.js';

/** Readers for environment variables; each failure names the variable in one line. */
type Env = NodeJS.ProcessEnv;

function bad(name: string, value: string, expected: string): GatewayError {
  return new GatewayError('INVALID_CONFIG', `${name}=${JSON.stringify(value)} is invalid: expected ${expected}`);
}

export function readInteger(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw bad(name, raw, `a whole number from ${min} to ${max}`);
  }
  return value;
}

export function readString(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

export function readOptional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export function readChoice<T extends string>(env: Env, name: string, fallback: T, choices: readonly T[]): T {
  const raw = readString(env, name, fallback);
  if (!(choices as readonly string[]).includes(raw)) throw bad(name, raw, `one of ${choices.join(', ')}`);
  return raw as T;
}

export function readUrl(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = readOptional(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad(name, '<hidden>', `a URL like ${protocols[0]}//host:port/...`);
  }
  if (!protocols.includes(url.protocol)) throw bad(name, url.protocol, `a URL with scheme ${protocols.join(' or ')}`);
  return raw;
}
