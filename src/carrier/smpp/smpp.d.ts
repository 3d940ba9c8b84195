/**
 * Types for the parts of `smpp` 0.5.1 we use; the package ships none. PDU fields are `unknown`
 * because their presence depends on the command and on which TLVs the peer sent: narrow them.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    /** The PDU's octets. */
    toBuffer(): Buffer;
    /** The response PDU for this request, with its sequence number. */
    response(options?: Record<string, unknown>): PDU;
  }

  export type ResponseCallback = (pdu: PDU) => void;

  export interface ConnectOptions {
    host: string;
    port: number;
    tls?: boolean;
    [option: string]: unknown;
  }

  export interface Session extends EventEmitter {
    readonly socket: import('node:net').Socket;
    /** False when the socket is not writable; the callback is then never called. */
    send(pdu: PDU, onResponse?: ResponseCallback, onSent?: ResponseCallback): boolean;
    bind_transceiver(options: Record<string, unknown>, onResponse?: ResponseCallback): boolean;
    bind_transmitter(options: Record<string, unknown>, onResponse?: ResponseCallback): boolean;
    bind_receiver(options: Record<string, unknown>, onResponse?: ResponseCallback): boolean;
    submit_sm(options: Record<string, unknown>, onResponse?: ResponseCallback): boolean;
    deliver_sm(options: Record<string, unknown>, onResponse?: ResponseCallback): boolean;
    enquire_link(options?: Record<string, unknown>, onResponse?: ResponseCallback): boolean;
    unbind(options?: Record<string, unknown>, onResponse?: ResponseCallback): boolean;
    pause(): void;
    resume(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }

  export interface Server extends NetServer {
    readonly sessions: Session[];
  }

  export function connect(options: ConnectOptions, listener?: () => void): Session;
  export function createServer(listener: (session: Session) => void): Server;
  export function createServer(options: Record<string, unknown>, listener: (session: Session) => void): Server;

  export const PDU: {
    new (command: string, options?: Record<string, unknown>): PDU;
    /** Decodes one whole PDU. */
    new (frame: Buffer): PDU;
  };
  export const errors: Record<string, number>;

  const smpp: {
    connect: typeof connect;
    createServer: typeof createServer;
    PDU: typeof PDU;
    errors: typeof errors;
  };
  export default smpp;
}
