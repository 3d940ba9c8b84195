import smpp, { type PDU, type Session } from 'smpp';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { parseAbsoluteTime } from '../smpp/submit-pdu.js';
import { actsOnAttempt, behaviourFor, receiptState, type Behaviour } from './number-rules.js';
import { corkUntilNextTick } from '../smpp/cork.js';
import { readFramesDirectly } from '../smpp/frame-reader.js';
import { CMD, encodeEmpty, encodeResp, type SmFields } from '../smpp/pdu-codec.js';
import { DueQueue } from './due-queue.js';
import { GatewayError } from '../../domain/errors.js';
import { answerId, parseAnswerId, receiptId, type SimulatorIdStyle } from './id-style.js';
import { MessageLedger } from './message-ledger.js';
import { ReceiptDropper } from './receipt-dropper.js';
import { ReceiptJournal } from './receipt-journal.js';
import { ReceiptOutbox, type ReceiverSession } from './receipt-outbox.js';
import { MESSAGE_STATE, receiptText } from './receipt-text.js';
import { SimulatorStats, concatInfo } from './sim-stats.js';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly systemId?: string;
  readonly password?: string;
  /** Delay before a delivery receipt; SMSGATE_SIM_DLR_MS. */
  readonly dlrDelayMs?: number;
  /** Delay before each submit_sm_resp (to make a client's window fill up). */
  readonly respondDelayMs?: number;
  /** Per-number behaviours on top of the fixed test numbers (number-rules.ts). */
  readonly rules?: Readonly<Record<string, Behaviour>>;
  /** When the receipt should carry the receipted_message_id TLV (default true). */
  readonly receiptTlv?: boolean;
  readonly logger?: Logger;
  /** A file where owed receipts are kept until acknowledged, so they outlive a restart. */
  readonly journalPath?: string;
  /** How ids are written in submit_sm_resp and in receipts (id-style.ts); default `hex`. */
  readonly idStyle?: SimulatorIdStyle;
  /** The first message id; by default one from the clock, so ids stay unique across restarts. */
  readonly firstMessageId?: number;
  /** The share (0..1, default 0) of receipts never sent; query_sm still answers for their messages. */
  readonly dropReceipts?: number;
  /** How query_sm is answered: `answer` (default), or as by an SMSC without it: `generic_nack`, `invalid_command` (ESME_RINVCMDID). */
  readonly querySm?: QuerySmSupport;
}

export type QuerySmSupport = 'answer' | 'generic_nack' | 'invalid_command';

export interface RunningSimulator {
  readonly host: string;
  readonly port: number;
  readonly stats: SimulatorStats;
  close(): Promise<void>;
}

const E = smpp.errors;
const DEFAULT_VALIDITY_MS = 48 * 3600_000;

interface SessionState {
  bound?: 'transceiver' | 'transmitter' | 'receiver';
  systemId?: string;
  outstanding: number;
}

/**
 * The built-in SMSC: a real SMPP 3.4 server (loopback by default) that the embedded gateway
 * delivers to, so `sent` means a submit_sm_resp and `delivered` a delivery receipt.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const systemId = options.systemId ?? 'smsgate';
  const password = options.password ?? 'smsgate';
  const dlrDelayMs = options.dlrDelayMs ?? 500;
  const respondDelayMs = options.respondDelayMs ?? 0;
  const idStyle = options.idStyle ?? 'hex';
  const querySm = options.querySm ?? 'answer';
  const dropper = new ReceiptDropper(options.dropReceipts ?? 0);
  const ledger = new MessageLedger();
  const stats = new SimulatorStats();
  const states = new Map<Session, SessionState>();
  const timers = new Set<NodeJS.Timeout>();
  const due = new DueQueue();
  let nextId = firstId(options.firstMessageId);

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const receivers = (): ReceiverSession[] =>
    [...states].flatMap(([session, s]) => (s.bound === 'receiver' || s.bound === 'transceiver' ? [{ session, systemId: s.systemId! }] : []));
  const outbox = new ReceiptOutbox(receivers);
  const journal = options.journalPath ? new ReceiptJournal<SmFields>(options.journalPath, options.logger) : undefined;

  /** Sends a receipt `delayMs` from now, journalled until the ESME acknowledges it. */
  function owe(owner: string, key: string, delayMs: number, fields: SmFields, onAcked?: () => void): void {
    const dueAt = Date.now() + delayMs;
    journal?.add({ key, owner, dueAt, fields });
    const send = (): void =>
      outbox.send(owner, fields, () => {
        journal?.acknowledged(key);
        onAcked?.();
      });
    if (delayMs > 0) due.add(dueAt, send);
    else send();
  }
  for (const entry of journal?.owed() ?? []) {
    owe(entry.owner, entry.key, Math.max(0, entry.dueAt - Date.now()), entry.fields);
  }

  /** Answers a submit_sm: `status`, or 0 with the message id. */
  function respond(session: Session, state: SessionState, pdu: PDU, status: number, messageId = ''): void {
    const send = (): void => {
      state.outstanding -= 1;
      if (!session.socket.writable) return;
      corkUntilNextTick(session.socket);
      session.socket.write(encodeResp(CMD.submit_sm_resp, pdu.sequence_number, status, messageId));
    };
    if (respondDelayMs > 0) later(respondDelayMs, send);
    else send();
  }

  function sendReceipt(submit: PDU, owner: string, id: bigint, state: string, submittedAt: number, delayMs: number, onAcked?: () => void): void {
    const shortMessage = submit.short_message as { message?: unknown } | undefined;
    const text = typeof shortMessage?.message === 'string' ? shortMessage.message : '';
    const decimal = behaviourFor(String(submit.destination_addr), options.rules) === 'decimal_receipt';
    const shownId = receiptId(id, idStyle, decimal);
    const fields: SmFields = {
      source_addr_ton: Number(submit.dest_addr_ton),
      source_addr_npi: Number(submit.dest_addr_npi),
      source_addr: String(submit.destination_addr),
      dest_addr_ton: Number(submit.source_addr_ton),
      dest_addr_npi: Number(submit.source_addr_npi),
      destination_addr: String(submit.source_addr),
      esm_class: 0x04,
      registered_delivery: 0,
      data_coding: 0,
      short_message: receiptText({ id: shownId, state, submittedAt, doneAt: Date.now() + delayMs, text }),
      message_state: MESSAGE_STATE[state] ?? 7,
      ...(options.receiptTlv === false ? {} : { receipted_message_id: shownId }),
    };
    owe(owner, answerId(id, idStyle), delayMs, fields, onAcked);
  }

  function validityDeadline(pdu: PDU, now: number): number {
    const v: unknown = pdu.validity_period;
    // The smpp package decodes the field to a Date; a string here is one it could not read.
    const at = v instanceof Date ? v.getTime() : typeof v === 'string' ? (parseAbsoluteTime(v) ?? Number.NaN) : Number.NaN;
    return Number.isFinite(at) ? at : now + DEFAULT_VALIDITY_MS;
  }

  function onSubmit(session: Session, state: SessionState, pdu: PDU): void {
    if (state.bound !== 'transmitter' && state.bound !== 'transceiver') {
      session.socket.write(encodeResp(CMD.submit_sm_resp, pdu.sequence_number, E.ESME_RINVBNDSTS!));
      return;
    }
    const destination = String(pdu.destination_addr);
    const behaviour = behaviourFor(destination, options.rules);
    const attempt = stats.countSubmit(destination);
    const acts = actsOnAttempt(behaviour, attempt);
    state.outstanding += 1;
    stats.noteOutstanding(state.outstanding);
    options.logger?.debug({ destination, behaviour, attempt }, 'simulator submit_sm');
    if (acts && behaviour === 'drop_once') return void session.destroy();
    if (behaviour === 'never_answer') return;
    if (acts && behaviour === 'throttle_once') return respond(session, state, pdu, E.ESME_RTHROTTLED!);
    if (acts && behaviour === 'queue_full_once') return respond(session, state, pdu, E.ESME_RMSGQFUL!);
    if (behaviour === 'reject') return respond(session, state, pdu, E.ESME_RINVDSTADR!);

    const serial = nextId;
    nextId += 1n;
    const id = answerId(serial, idStyle);
    const now = Date.now();
    const message = pdu.short_message as { message?: unknown; udh?: unknown } | undefined;
    stats.addPart({
      source: String(pdu.source_addr),
      destination,
      text: typeof message?.message === 'string' ? message.message : '',
      dataCoding: Number(pdu.data_coding) || 0,
      messageId: id,
      concat: concatInfo(message?.udh),
    });
    const owner = state.systemId!;
    const wantsReceipt = (Number(pdu.registered_delivery) & 0x03) !== 0;
    if (behaviour === 'receipt_first') {
      // The gateway must cope with a receipt for an id it has not been told yet.
      ledger.record(serial, owner, 'DELIVRD', now);
      sendReceipt(pdu, owner, serial, 'DELIVRD', now, 0, () => respond(session, state, pdu, 0, id));
      return;
    }
    respond(session, state, pdu, 0, id);
    const outcome = behaviour === 'hold' ? 'EXPIRED' : (receiptState(behaviour) ?? 'DELIVRD');
    const delayMs = behaviour === 'hold' ? Math.max(0, validityDeadline(pdu, now) - now) : dlrDelayMs;
    ledger.record(serial, owner, outcome, now + delayMs);
    if (!wantsReceipt) return;
    if (dropper.drops()) {
      stats.receiptsDropped += 1;
      return;
    }
    sendReceipt(pdu, owner, serial, outcome, now, delayMs);
  }

  function onQuery(session: Session, state: SessionState, pdu: PDU): void {
    stats.queries += 1;
    if (querySm === 'generic_nack') {
      session.send(new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: E.ESME_RINVCMDID }));
      return;
    }
    if (querySm === 'invalid_command') return void session.send(pdu.response({ command_status: E.ESME_RINVCMDID }));
    if (state.bound !== 'transmitter' && state.bound !== 'transceiver') return void session.send(pdu.response({ command_status: E.ESME_RINVBNDSTS }));
    const id = parseAnswerId(pdu.message_id, idStyle);
    const answer = id === undefined ? undefined : ledger.query(id, state.systemId!, Date.now());
    if (!answer) return void session.send(pdu.response({ command_status: E.ESME_RINVMSGID }));
    session.send(
      pdu.response({
        message_id: pdu.message_id,
        final_date: answer.finalDate ?? '',
        message_state: answer.messageState,
        error_code: answer.errorCode,
      }),
    );
  }

  function onBind(session: Session, state: SessionState, pdu: PDU, kind: NonNullable<SessionState['bound']>): void {
    let status = 0;
    if (state.bound) status = E.ESME_RALYBND!;
    else if (pdu.system_id !== systemId) status = E.ESME_RINVSYSID!;
    else if (pdu.password !== password) status = E.ESME_RINVPASWD!;
    if (status !== 0) {
      session.send(pdu.response({ command_status: status }), () => session.close());
      return;
    }
    state.bound = kind;
    state.systemId = systemId;
    session.send(pdu.response({ system_id: 'smsgate-sim' }));
    outbox.flush();
  }

  const server = smpp.createServer((session: Session) => {
    readFramesDirectly(session);
    const state: SessionState = { outstanding: 0 };
    states.set(session, state);
    session.socket.setNoDelay(true);
    session.on('error', (error: Error) => options.logger?.debug({ err: error.message }, 'simulator session error'));
    session.on('close', () => {
      states.delete(session);
      outbox.sessionClosed(session);
    });
    for (const kind of ['transceiver', 'transmitter', 'receiver'] as const) {
      session.on(`bind_${kind}`, (pdu: PDU) => onBind(session, state, pdu, kind));
    }
    session.on('submit_sm', (pdu: PDU) => onSubmit(session, state, pdu));
    session.on('query_sm', (pdu: PDU) => onQuery(session, state, pdu));
    session.on('deliver_sm_resp', (pdu: PDU) => outbox.answered(session, pdu));
    session.on('enquire_link', (pdu: PDU) => session.socket.writable && session.socket.write(encodeEmpty(CMD.enquire_link_resp, pdu.sequence_number)));
    session.on('unbind', (pdu: PDU) => session.send(pdu.response(), () => session.close()));
    session.on('unknown', (pdu: PDU) => session.send(pdu.response()));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.logger?.info({ host, port, systemId, dlrDelayMs }, 'smsc simulator listening');

  return {
    host,
    port,
    stats,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      due.close();
      outbox.close();
      journal?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of states.keys()) session.destroy();
      await closed;
    },
  };
}

/** The id of the first message: the option, or one from the clock, unique across restarts since the store keeps old ids. */
function firstId(option: number | undefined): bigint {
  if (option === undefined) return BigInt(Date.now()) * 1000n + 1n;
  if (!Number.isSafeInteger(option) || option < 0) throw new GatewayError('INVALID_CONFIG', `simulator: the first message id must be a whole number >= 0, not ${option}`);
  return BigInt(option);
}
