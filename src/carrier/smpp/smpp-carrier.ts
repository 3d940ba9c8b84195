import type { PDU } from 'smpp';
import type { Logger } from 'pino';
import { encodeSms } from '../../domain/sms-encoding.js';
import { CarrierSubmitError, type Carrier, type OutboundMessage, type ReceiptListener, type SubmitResult } from '../carrier.js';
import { SmppBind } from './bind.js';
import { isReceipt, parseReceipt } from './receipt-parser.js';
import type { CarrierConfig, SmscConnectionConfig } from './smpp-config.js';
import { submitParams } from './submit-pdu.js';

interface Connection {
  readonly config: SmscConnectionConfig;
  readonly binds: readonly SmppBind[];
}

/**
 * The Carrier over SMPP 3.4: routes each message by destination prefix to an SMSC connection,
 * sends all its parts through one bound session of it (the least loaded), and turns every
 * delivery receipt into a listener call before acknowledging it.
 */
class SmppCarrier implements Carrier {
  private readonly connections: readonly Connection[];
  private listener: ReceiptListener | undefined;
  private reference = Math.floor(Math.random() * 256);
  private turn = 0;

  constructor(
    config: CarrierConfig,
    private readonly log: Logger,
  ) {
    this.connections = config.connections.map((c) => ({ config: c, binds: this.makeBinds(c) }));
  }

  async start(onReceipt: ReceiptListener): Promise<void> {
    this.listener = onReceipt;
    for (const c of this.connections) for (const bind of c.binds) bind.start();
  }

  capacity(): number {
    return this.connections.reduce((n, c) => n + c.binds.reduce((m, b) => m + b.capacity(), 0), 0);
  }

  async submit(message: OutboundMessage): Promise<SubmitResult> {
    const connection = this.route(message.phoneNumber);
    const bind = this.pickBind(connection);
    if (!bind) throw new CarrierSubmitError('retry', 'NO_BIND', `no bound session to ${connection.config.name}`);
    let sms;
    try {
      this.reference = (this.reference + 1) & 0xff;
      sms = encodeSms(message.text, this.reference);
    } catch (error) {
      throw new CarrierSubmitError('permanent', 'MESSAGE_TOO_LONG', (error as Error).message);
    }
    const results = await Promise.allSettled(
      sms.parts.map((part) => bind.submit(submitParams(connection.config, message.phoneNumber, sms, part, message.expiresAt))),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as CarrierSubmitError] : []));
    if (failures.length > 0) {
      // A permanent refusal of any part decides; otherwise the whole message is tried again.
      throw failures.find((f) => f.kind === 'permanent') ?? failures[0]!;
    }
    return { carrierMessageIds: results.map((r) => (r as PromiseFulfilledResult<string>).value) };
  }

  async stop(): Promise<void> {
    await Promise.all(this.connections.flatMap((c) => c.binds.map((b) => b.stop())));
  }

  private makeBinds(config: SmscConnectionConfig): SmppBind[] {
    const kinds = config.bindMode === 'transceiver' ? (['transceiver'] as const) : (['transmitter', 'receiver'] as const);
    const binds: SmppBind[] = [];
    for (let i = 0; i < config.binds; i += 1) {
      for (const kind of kinds) {
        const log = this.log.child({ smsc: config.name, bind: `${kind}-${i}` });
        binds.push(new SmppBind(config, kind, (pdu) => this.onDeliver(pdu, log), log));
      }
    }
    return binds;
  }

  /** Longest matching prefix wins; numbers no prefix claims go to the default route. */
  private route(phoneNumber: string): Connection {
    let best: Connection | undefined;
    let bestLength = 0;
    for (const c of this.connections) {
      for (const prefix of c.config.prefixes) {
        if (phoneNumber.startsWith(prefix) && prefix.length > bestLength) {
          best = c;
          bestLength = prefix.length;
        }
      }
    }
    // Config validation guarantees a default route exists.
    return best ?? this.connections.find((c) => c.config.prefixes.length === 0)!;
  }

  /** The bound submitting session with the least work; ties rotate so binds share the load. */
  private pickBind(connection: Connection): SmppBind | undefined {
    const up = connection.binds.filter((b) => b.submits && b.isUp);
    if (up.length === 0) return undefined;
    this.turn = (this.turn + 1) % up.length;
    const rotated = [...up.slice(this.turn), ...up.slice(0, this.turn)];
    return rotated.reduce((best, b) => (b.load() < best.load() ? b : best));
  }

  private async onDeliver(pdu: PDU, log: Logger): Promise<number> {
    const receipt = parseReceipt(pdu);
    if (!receipt) {
      // Mobile-originated messages are not ours to handle; acknowledging stops redelivery.
      if (isReceipt(pdu)) log.warn('delivery receipt without a message id; acknowledged and dropped');
      return 0;
    }
    log.debug({ receipt }, 'delivery receipt');
    if (!this.listener) throw new Error('receipt before start');
    await this.listener(receipt);
    return 0;
  }
}

/** The SMPP carrier; binds come up after start(). `logger` never receives passwords. */
export function createSmppCarrier(config: CarrierConfig, logger: Logger): Carrier {
  return new SmppCarrier(config, logger);
}
