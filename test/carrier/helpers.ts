import { pino, type Logger } from 'pino';
import type { Carrier, DeliveryReceipt, OutboundMessage } from '../../src/carrier/carrier.js';
import { parseCarrierConfig, type CarrierConfig } from '../../src/carrier/smpp/smpp-config.js';

export const silentLogger: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** One connection to 127.0.0.1:port with short timings; `extra` uses the JSON (snake_case) keys. */
export function testConfig(port: number, extra: Record<string, unknown> = {}): CarrierConfig {
  return parseCarrierConfig({
    connections: [
      {
        name: 'test',
        host: '127.0.0.1',
        port,
        system_id: 'smsgate',
        password: 'smsgate',
        enquire_link_interval_ms: 1000,
        response_timeout_ms: 2000,
        reconnect_initial_ms: 50,
        reconnect_max_ms: 200,
        throttled_pause_ms: 50,
        ...extra,
      },
    ],
  });
}

let counter = 0;
export function message(phoneNumber: string, text = 'Your code is 123456', validityMs = 60_000): OutboundMessage {
  counter += 1;
  return { smsUid: `sms-${counter}`, phoneNumber, text, expiresAt: Date.now() + validityMs };
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects receipts; the listener resolves at once unless a test replaces `handle`. */
export class ReceiptRecorder {
  readonly receipts: DeliveryReceipt[] = [];
  handle = async (receipt: DeliveryReceipt): Promise<void> => {
    this.receipts.push(receipt);
  };
  readonly listener = (receipt: DeliveryReceipt): Promise<void> => this.handle(receipt);
}

/** Waits until the carrier has a bound session (capacity > 0). */
export async function bound(carrier: Carrier, timeoutMs = 5000): Promise<void> {
  await waitFor(() => carrier.capacity() > 0 || undefined, timeoutMs, 'a bind');
}
