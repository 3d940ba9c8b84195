/** What PasscodeFailureLog needs of a logger; a pino Logger is one. */
export interface FailureLogger {
  warn(details: object, message: string): void;
}

/** Client ids named one by one in a second; the rest are summed, so sprayed ids cannot flood the log. */
const MAX_CLIENTS_NAMED = 20;
const LOGGED_ID_CHARS = 64;

/**
 * Wrong passcodes, logged at most once a second per client_id with how many there were: an
 * attack of 100,000 guesses a second would otherwise be 100,000 lines. Never logs a passcode.
 */
export class PasscodeFailureLog {
  private counts = new Map<string, number>();
  private addresses = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: FailureLogger,
    private readonly intervalMs = 1000,
  ) {}

  failed(clientId: string, address: string): void {
    const key = clientId.slice(0, LOGGED_ID_CHARS);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.addresses.set(key, address);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs).unref();
  }

  /** A block starts: once per block, so as rare as every `limit` failures of one address. */
  blocked(address: string, clientId: string | undefined, seconds: number): void {
    const whose = clientId === undefined ? 'any client' : `client ${clientId.slice(0, LOGGED_ID_CHARS)}`;
    this.logger.warn({ address, client_id: clientId?.slice(0, LOGGED_ID_CHARS), block_s: seconds }, `too many wrong passcodes from ${address} for ${whose}: refused for ${seconds} s`);
  }

  /** Logs what was counted since the last line. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const counts = this.counts;
    const addresses = this.addresses;
    this.counts = new Map();
    this.addresses = new Map();
    let named = 0;
    let others = 0;
    let otherClients = 0;
    for (const [clientId, failures] of counts) {
      if (named < MAX_CLIENTS_NAMED) {
        named += 1;
        this.logger.warn({ client_id: clientId, failures, last_address: addresses.get(clientId) }, `${failures} wrong passcode(s) for client ${clientId}`);
      } else {
        others += failures;
        otherClients += 1;
      }
    }
    if (otherClients > 0) this.logger.warn({ clients: otherClients, failures: others }, `${others} wrong passcode(s) for ${otherClients} other client ids`);
  }

  close(): void {
    this.flush();
  }
}
