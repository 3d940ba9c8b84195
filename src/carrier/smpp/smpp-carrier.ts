import type { PDU } from 'smpp';
import type { Logger } from 'pino';
import { encodeSms } from '../../domain/sms-encoding.js';
import {
  CarrierSubmitError,
  type Carrier,
  type MessageQuery,
  type OutboundMessage,
  type QueryAnswer,
  type ReceiptListener,
  type SubmitResult,
} from '../carrier.js';
import { SmppBind } from './bind.js';
import type { BindState } from './bind-state.js';
import { QueryRate, readQueryResponse } from './message-query.js';
import { PartialSubmits } from './partial-submits.js';
import { isReceipt, parseReceipt } from './receipt-parser.js';
import type { CarrierConfig, SmscConnectionConfig } from './smpp-config.js';
import { submitParams } from './submit-pdu.js';
import { RetryTally } from './retry-tally.js';
import { NO_CARRIER_OBSERVER, type CarrierObserver, type WindowUse } from '../carrier-observer.js';

interface Connection {
  readonly config: SmscConnectionConfig;
  /** Open binds by slot: a transceiver, or a transmitter and a receiver. */
  readonly slots: Map<number, SmppBind[]>;
  /** The slots this process may open (see src/coordination). */
  active: ReadonlySet<number>;
  readonly retries: RetryTally;
  readonly queryRate: QueryRate;
}

export interface SmppCarrierOptions {
  /**
   * Open no bind until setActiveSlots() grants slots (a BindCoordinator decides). Default false:
   * every configured bind opens at start.
   */
  readonly coordinated?: boolean;
  /** Hears every submit answer and receipt, by connection (metrics). */
  readonly observer?: CarrierObserver;
}

/** The SMPP carrier, whose binds a BindCoordinator can open and close while it runs. */
export interface SmppCarrier extends Carrier {
  /**
   * Opens the binds of slots newly granted and closes those of slots taken away, letting their
   * submits in flight be answered first (up to response_timeout_ms). Resolves once closed.
   */
  setActiveSlots(connection: string, slots: ReadonlySet<number>): Promise<void>;
  /** Every open bind of every connection: bound, connecting, refused (and why), since when. */
  bindStates(): BindState[];
  /** Each connection's submit window in use now, over its bound binds. */
  windows(): WindowUse[];
}

/**
 * The Carrier over SMPP 3.4: routes each message by destination prefix to an SMSC connection,
 * sends all its parts through one bound session of it (the least loaded), and turns every
 * delivery receipt into a listener call before acknowledging it. A long message some of whose
 * parts were accepted before another got a retry answer sends only the missing parts next time.
 */
class SmppCarrierImpl implements SmppCarrier {
  private readonly connections: readonly Connection[];
  private listener: ReceiptListener | undefined;
  private reference = Math.floor(Math.random() * 256);
  private turn = 0;
  private started = false;
  private stopped = false;
  private readonly closing = new Set<Promise<void>>();
  private readonly partials = new PartialSubmits();
  private readonly observer: CarrierObserver;

  constructor(
    config: CarrierConfig,
    private readonly log: Logger,
    options: SmppCarrierOptions,
  ) {
    this.observer = options.observer ?? NO_CARRIER_OBSERVER;
    this.connections = config.connections.map((c) => ({
      config: c,
      slots: new Map(),
      active: new Set(options.coordinated ? [] : Array.from({ length: c.binds }, (_, i) => i)),
      retries: new RetryTally(log.child({ smsc: c.name })),
      queryRate: new QueryRate(c.querySmPerSecond),
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
    const name = connection.config.name;
    if (!bind) throw new CarrierSubmitError('retry', 'NO_BIND', `no bound session to ${name}`);
    const earlier = this.partials.take(message.smsUid);
    const resuming = earlier?.connection === name ? earlier : undefined;
    const reference = resuming?.reference ?? this.nextReference();
    let sms;
    try {
      sms = encodeSms(message.text, reference);
    } catch (error) {
      throw new CarrierSubmitError('permanent', 'MESSAGE_TOO_LONG', (error as Error).message);
    }
    const ids = sms.parts.map((_, i) => (resuming?.ids.length === sms.parts.length ? resuming.ids[i] : undefined));
    const failures: CarrierSubmitError[] = [];
    await Promise.all(
      sms.parts.map(async (part, i) => {
        if (ids[i] !== undefined) return; // accepted on an earlier try
        try {
          ids[i] = await bind.submit(submitParams(connection.config, message.phoneNumber, sms, part, message.expiresAt, message.sender));
        } catch (error) {
          failures.push(error as CarrierSubmitError);
        }
      }),
    );
    if (failures.length > 0) {
      const permanent = failures.find((f) => f.kind === 'permanent');
      // Retried: the parts accepted so far are not sent again, and the rest keep their reference.
      if (!permanent && ids.some((id) => id !== undefined)) {
        this.partials.keep(message.smsUid, { reference, connection: name, ids, expiresAt: message.expiresAt }, Date.now());
      }
      throw permanent ?? failures[0]!;
    }
    return { carrierMessageIds: ids as string[], connection: name };
  }

  async queryMessage(query: MessageQuery): Promise<QueryAnswer> {
    const connection =
      query.connection === undefined ? this.route(query.phoneNumber) : this.connections.find((c) => c.config.name === query.connection);
    if (!connection) return 'unknown'; // a connection no longer configured
    const { config } = connection;
    if (config.querySmPerSecond === 0) return 'unsupported';
    const params = {
      message_id: query.carrierMessageId,
      source_addr_ton: config.sourceAddrTon,
      source_addr_npi: config.sourceAddrNpi,
      source_addr: config.sourceAddr,
    };
    for (;;) {
      const senders = binds(connection).filter((b) => b.submits);
      const bind = senders.find((b) => b.queries);
      if (!bind) return senders.length > 0 && senders.every((b) => b.refusesQueries) ? 'unsupported' : 'unavailable';
      const wait = connection.queryRate.reserve(Date.now(), config.responseTimeoutMs);
      if (wait === undefined) return 'unavailable';
      // Unref'd: a query waiting for its turn must not hold a stopping process open.
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
      if (this.stopped) return 'unavailable';
      const answer = readQueryResponse(await bind.query(params));
      // Refused: that bind is marked and not asked again; try another.
      if (answer !== 'refused') return answer;
    }
  }

  bindStates(): BindState[] {
    return this.connections.flatMap((c) => binds(c).map((b) => b.state()));
  }

  windows(): WindowUse[] {
    return this.connections.map((c) => {
      const up = binds(c).filter((b) => b.isUp);
      return { connection: c.config.name, inUse: up.reduce((n, b) => n + b.load(), 0), size: up.reduce((n, b) => n + b.window, 0) };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.closing, ...this.connections.flatMap((c) => binds(c).map((b) => b.stop()))]);
    for (const c of this.connections) c.retries.stop();
  }

  private nextReference(): number {
    this.reference = (this.reference + 1) & 0xff;
    return this.reference;
  }

  /** Opens the binds of active slots that have none. */
  private openActive(connection: Connection): void {
    const { config } = connection;
    const kinds = config.bindMode === 'transceiver' ? (['transceiver'] as const) : (['transmitter', 'receiver'] as const);
    for (const slot of connection.active) {
      if (connection.slots.has(slot)) continue;
      const sessions = kinds.map((kind) => {
        const log = this.log.child({ smsc: config.name, bind: `${kind}-${slot}` });
        return new SmppBind(config, kind, slot, (pdu) => this.onDeliver(pdu, config.name, log), log, connection.retries, this.observer);
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

  private async onDeliver(pdu: PDU, connection: string, log: Logger): Promise<number> {
    const parsed = parseReceipt(pdu);
    if (!parsed) {
      // Mobile-originated messages are not ours to handle; acknowledging stops redelivery.
      if (isReceipt(pdu)) log.warn('delivery receipt without a message id; acknowledged and dropped');
      return 0;
    }
    const receipt = { ...parsed, connection };
    this.observer.receipt(connection);
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
