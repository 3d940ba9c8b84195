import { isGatewayError } from '../domain/errors.js';

/** What a command prints: one JSON object with --json, readable lines otherwise. */
export interface Output {
  result(json: object, human: string): void;
}

export function createOutput(json: boolean, write: (text: string) => void = (t) => process.stdout.write(t)): Output {
  return {
    result: (object, human) => write(json ? `${JSON.stringify(object)}\n` : `${human}\n`),
  };
}

/** One line on stderr (or one JSON object with --json) and exit code 1; config errors exit 2. */
export function reportFailure(error: unknown, json: boolean): number {
  const code = isGatewayError(error) ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  if (json) process.stdout.write(`${JSON.stringify({ error_code: code, error_message: message })}\n`);
  else process.stderr.write(`smsgate: ${message}\n`);
  return code === 'INVALID_CONFIG' ? 2 : 1;
}
