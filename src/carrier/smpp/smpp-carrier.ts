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
  /** Open binds by slot: a transceiver, or a transmitter and a receiver. */
  readonly slots: Map<number, SmppBind[]>;
  /** The slots this process may open (see src/coordination). */
  active: ReadonlySet<number>;
}

export interface SmppCarrierOptions {
  /**
   * Open no bind until setActiveSlots() grants slots (a BindCoordinator decides). Default false:
   * every configured bind opens at start.
   */
  readonly coordinated?: boolean;
}

/** The SMPP carrier, whose binds a BindCoordinator can open and close while it runs. */
export interface SmppCarrier extends Carrier {
  /**
   * Opens the binds of slots newly granted and closes those of slots taken away, letting their
   * submits in flight be answered first (up to response_timeout_ms). Resolves once closed.
   */
  setActiveSlots(connection: string, slots: ReadonlySet<number>): Promise<void>;
}

/**
 * The Carrier over SMPP 3.4: routes each message by destination prefix to an SMSC connection,
 * sends all its parts through one bound session of it (the least loaded), and turns every
 * delivery receipt into a listener call before acknowledging it.
 */
class SmppCarrierImpl implements SmppCarrier {
  private readonly connections: readonly Connection[];
  private listener: ReceiptListener | undefined;
  private reference = Math.floor(Math.random() * 256);
  private turn = 0;
  private started = false;
  private stopped = false;
  private readonly closing = new Set<Promise<void>>();

  constructor(
    config: CarrierConfig,
    private readonly log: Logger,
    options: SmppCarrierOptions,
  ) {
    this.connections = config.connections.map((c) => ({
      config: c,
      slots: new Map(),
      active: new Set(options.coordinated ? [] : Array.from({ length: c.binds }, (_, i) => i)),
    }));
  }

  async start(onReceipt: ReceiptListener): Promise<void> {
    this.listener = onReceipt;
    this.started = true;
    for (const c of this.connections) this.openActive(c);
  }

  capacity(): number {
    return this.connections.reduce((n, c) => n + binds(c).reduce((m, b) => m + b.capacity(), 0), 0);
  }

  async setActiveSlots(name: string, slots: ReadonlySet<number>): Promise<void> {
    const connection = this.connections.find((c) => c.config.name === name);
    if (!connection) throw new Error(`no SMSC connection named ${name}`);
    connection.active = new Set([...slots].filter((s) => s >= 0 && s < connection.config.binds));
    if (!this.started || this.stopped) return;
    const retiring: SmppBind[] = [];
    for (const [slot, sessions] of connection.slots) {
      if (connection.active.has(slot)) continue;
      connection.slots.delete(slot); // no new work from here on
      retiring.push(...sessions);
    }
    this.openActive(connection);
    await Promise.all(retiring.map((bind) => this.retire(bind, connection.config.responseTimeoutMs)));
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
    this.stopped = true;
    await Promise.all([...this.closing, ...this.connections.flatMap((c) => binds(c).map((b) => b.stop()))]);
  }

  /** Opens the binds of active slots that have none. */
  private openActive(connection: Connection): void {
    const { config } = connection;
    const kinds = config.bindMode === 'transceiver' ? (['transceiver'] as const) : (['transmitter', 'receiver'] as const);
    for (const slot of connection.active) {
      if (connection.slots.has(slot)) continue;
      const sessions = kinds.map((kind) => {
        const log = this.log.child({ smsc: config.name, bind: `${kind}-${slot}` });
        return new SmppBind(config, kind, (pdu) => this.onDeliver(pdu, log), log);
      });
      connection.slots.set(slot, sessions);
      for (const bind of sessions) bind.start();
    }
  }

  /** Waits for a bind's submits to be answered (bounded), then unbinds it. */
  private retire(bind: SmppBind, drainMs: number): Promise<void> {
    const done = (async () => {
      const until = Date.now() + drainMs;
      while (bind.load() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await bind.stop();
    })();
    this.closing.add(done);
    return done.finally(() => this.closing.delete(done));
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
    const up = binds(connection).filter((b) => b.submits && b.isUp);
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

function binds(connection: Connection): SmppBind[] {
  return [...connection.slots.values()].flat();
}

/** The SMPP carrier; binds come up after start(). `logger` never receives passwords. */
export function createSmppCarrier(config: CarrierConfig, logger: Logger, options: SmppCarrierOptions = {}): SmppCarrier {
  return new SmppCarrierImpl(config, logger, options);
}
