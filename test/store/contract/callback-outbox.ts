import { describe, expect, it } from 'vitest';
import { carrierIdCandidates } from '../../../src/domain/carrier-id.js';
import type { CallbackEventChoice } from '../../../src/domain/callback-event.js';
import type { Store } from '../../../src/store/store.js';
import { expectGatewayError, newMessage, sendMessage, type StoreHandle } from './support.js';

const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';

async function clientWithCallback(store: Store, clientId: string, events: CallbackEventChoice = 'all'): Promise<void> {
  await store.addClient(clientId, 'hash', 1_000);
  await store.setClientCallback(clientId, { url: `https://hooks.example.com/${clientId}`, events, secret: SECRET });
}

async function deliver(store: Store, carrierId: string, at: number): Promise<void> {
  await store.applyReceipt({ carrierMessageIds: carrierIdCandidates(carrierId), status: 'delivered', errorCode: '0', at });
}

async function claimAll(store: Store, clientId: string, now: number, owner = 'sender-1', leaseMs = 30_000) {
  return store.claimCallbackEvents({ clientId, owner, limit: 1_000, leaseMs, now });
}

/** The callback outbox: events written with the status changes, claimed, retried, buried, revived. */
export function callbackOutboxContract(handle: StoreHandle): void {
  describe('callback outbox', () => {
    it('stores, lists and clears a client callback, bumping the catalog version; CLIENT_NOT_FOUND for nobody', async () => {
      const { store } = handle;
      await store.addClient('client-a', 'hash', 1_000);
      const before = await store.catalogVersion();
      await store.setClientCallback('client-a', { url: 'https://x.example/cb', events: 'final', secret: SECRET });
      expect(await store.catalogVersion()).toBeGreaterThan(before);
      expect((await store.listClients())[0]!.callback).toEqual({ url: 'https://x.example/cb', events: 'final', secret: SECRET });
      await store.setClientCallback('client-a', null);
      expect((await store.listClients())[0]!.callback).toBeNull();
      await expectGatewayError(store.setClientCallback('nobody', null), 'CLIENT_NOT_FOUND');
    });

    it('writes events only for clients with a URL, with the snapshot, sequence and event_id of each change', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'hooked');
      await store.addClient('plain', 'hash', 1_000);
      const hooked = await sendMessage(store, ['CB1', 'CB2'], 2_000, { clientId: 'hooked', templetId: 'otp', phoneNumber: '+14155550123' });
      await sendMessage(store, ['CB3'], 2_000, { clientId: 'plain' });
      await deliver(store, 'CB1', 3_000);
      await deliver(store, 'CB2', 4_000);
      await deliver(store, 'CB3', 4_000);
      expect(await store.clientsWithDueCallbacks(10_000)).toEqual(['hooked']);
      expect(await store.clientsWithDueCallbacks(1_999)).toEqual([]);
      const events = await claimAll(store, 'hooked', 10_000);
      expect(events).toEqual([
        { eventId: `${hooked}.1`, smsUid: hooked, clientId: 'hooked', status: 'sent', errorCode: '0', phoneNumber: '+14155550123', templetId: 'otp', parts: 2, sequence: 1, occurredAt: 2_000, owedSince: 2_000, attempts: 0 },
        { eventId: `${hooked}.2`, smsUid: hooked, clientId: 'hooked', status: 'delivered', errorCode: '0', phoneNumber: '+14155550123', templetId: 'otp', parts: 2, sequence: 2, occurredAt: 4_000, owedSince: 4_000, attempts: 0 },
      ]);
      expect(await claimAll(store, 'plain', 10_000)).toEqual([]);
    });

    it('with `final`, writes only the final change, keeping its place in the order', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'finals', 'final');
      const sent = await sendMessage(store, ['F1'], 2_000, { clientId: 'finals' });
      await deliver(store, 'F1', 3_000);
      const rejected = newMessage({ clientId: 'finals' });
      await store.insertMessages([rejected]);
      await store.markRejected(rejected.smsUid, '0x45', 3_500);
      const events = await claimAll(store, 'finals', 10_000);
      expect(events.map((e) => [e.smsUid, e.status, e.sequence, e.errorCode])).toEqual([
        [sent, 'delivered', 2, '0'],
        [rejected.smsUid, 'error_rejected', 1, '0x45'],
      ]);
    });

    it('writes events for expiry and for a failure, and takes the client setting at the moment of the change', async () => {
      const { store } = handle;
      await store.addClient('late', 'hash', 1_000);
      const before = await sendMessage(store, ['L1'], 2_000, { clientId: 'late', createdAt: 1_000 });
      await store.setClientCallback('late', { url: 'https://x.example/late', events: 'all', secret: SECRET });
      const queued = newMessage({ clientId: 'late', createdAt: 1_000 });
      const failing = newMessage({ clientId: 'late', createdAt: 9_000 });
      await store.insertMessages([queued, failing]);
      expect((await store.expireMessages(5_000, 6_000)).length).toBe(2);
      await store.markFailed(failing.smsUid, 'error_unknown', '99', 7_000);
      const events = await claimAll(store, 'late', 10_000);
      expect(events.map((e) => [e.smsUid, e.status, e.sequence])).toEqual([
        [queued.smsUid, 'error_expired', 1],
        [before, 'error_expired', 2],
        [failing.smsUid, 'error_unknown', 1],
      ]);
      await store.setClientCallback('late', null);
      await sendMessage(store, ['L9'], 11_000, { clientId: 'late' });
      expect(await claimAll(store, 'late', 20_000)).toEqual([]);
    });

    it('writes a receipt that waited for its submit as the second event of the message', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'early');
      const message = newMessage({ clientId: 'early' });
      await store.insertMessages([message]);
      await deliver(store, 'E1', 2_500);
      await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'E1' }], 3_000);
      const events = await claimAll(store, 'early', 10_000);
      expect(events.map((e) => [e.eventId, e.status])).toEqual([
        [`${message.smsUid}.1`, 'sent'],
        [`${message.smsUid}.2`, 'delivered'],
      ]);
    });

    it('leases claims: a second claimer gets nothing until the lease runs out', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'leased');
      await sendMessage(store, ['LE1'], 2_000, { clientId: 'leased' });
      expect(await claimAll(store, 'leased', 3_000, 'one', 10_000)).toHaveLength(1);
      expect(await claimAll(store, 'leased', 3_001, 'two')).toEqual([]);
      expect(await store.clientsWithDueCallbacks(12_999)).toEqual([]);
      expect(await store.clientsWithDueCallbacks(13_000)).toEqual(['leased']);
      expect(await claimAll(store, 'leased', 13_000, 'two')).toHaveLength(1);
    });

    it('never hands one event to two claimers running at once', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'busy');
      const messages = Array.from({ length: 60 }, (_, i) => newMessage({ clientId: 'busy', createdAt: 1_000 + i }));
      await store.insertMessages(messages);
      await Promise.all(messages.map((m, i) => store.markSent(m.smsUid, [{ partNo: 1, carrierMessageId: `BZ${i}` }], 2_000 + i)));
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.claimCallbackEvents({ clientId: 'busy', owner: `s${i}`, limit: 15, leaseMs: 30_000, now: 5_000 })),
      );
      const ids = claims.flat().map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(60);
    });

    it('hastens a client\'s backed-off events to now, but not leased, dead or other clients\' ones', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'back');
      await clientWithCallback(store, 'elsewhere');
      for (const [i, client] of ['back', 'back', 'back', 'elsewhere'].entries()) await sendMessage(store, [`HS${i}`], 2_000 + i, { clientId: client });
      const [e1, e2, e3] = await claimAll(store, 'back', 3_000);
      const [other] = await claimAll(store, 'elsewhere', 3_000);
      await store.rescheduleCallbackEvents([e1!.eventId, e2!.eventId], 600_000, 'HTTP 503');
      await store.buryCallbackEvents([e3!.eventId], 'timeout', 3_500);
      await store.rescheduleCallbackEvents([other!.eventId], 600_000, 'HTTP 503');
      expect(await store.hastenCallbackEvents('back', 4_000)).toBe(2);
      expect((await claimAll(store, 'back', 4_000, 'again', 30_000)).map((e) => e.eventId).sort()).toEqual([e1!.eventId, e2!.eventId].sort());
      // Now leased: not hastened again, nor is the dead one or the other client's.
      expect(await store.hastenCallbackEvents('back', 5_000)).toBe(0);
      expect(await claimAll(store, 'elsewhere', 5_000)).toEqual([]);
    });

    it("lists one message's events owed, dead or delivered (acknowledged: when, after how many tries), for the admin view", async () => {
      const { store } = handle;
      await clientWithCallback(store, 'viewed');
      const message = newMessage({ clientId: 'viewed', createdAt: 1_000 });
      await store.insertMessages([message]);
      await store.markSent(message.smsUid, [{ partNo: 1, carrierMessageId: 'VW1' }], 2_000);
      await deliver(store, 'VW1', 3_000);
      const other = await sendMessage(store, ['VW2'], 2_500, { clientId: 'viewed' });
      const [sent, delivered] = (await claimAll(store, 'viewed', 4_000)).filter((e) => e.smsUid === message.smsUid);
      await store.rescheduleCallbackEvents([sent!.eventId], 9_000, 'HTTP 502');
      await store.buryCallbackEvents([delivered!.eventId], 'timeout', 5_000);
      expect(await store.callbackEventsOfMessage(message.smsUid)).toEqual([
        expect.objectContaining({ eventId: sent!.eventId, status: 'sent', sequence: 1, attempts: 1, lastError: 'HTTP 502', nextAttemptAt: 9_000, diedAt: null, acknowledgedAt: null }),
        expect.objectContaining({ eventId: delivered!.eventId, status: 'delivered', sequence: 2, attempts: 1, lastError: 'timeout', nextAttemptAt: null, diedAt: 5_000, acknowledgedAt: null }),
      ]);
      const [retried] = await claimAll(store, 'viewed', 9_000);
      expect(retried!.eventId).toBe(sent!.eventId);
      await store.acknowledgeCallbackEvents([sent!.eventId], 9_100);
      // The second try succeeded: 2 tries, the first one's error kept.
      expect(await store.callbackEventsOfMessage(message.smsUid)).toEqual([
        expect.objectContaining({ eventId: sent!.eventId, sequence: 1, attempts: 2, lastError: 'HTTP 502', nextAttemptAt: null, diedAt: null, acknowledgedAt: 9_100 }),
        expect.objectContaining({ eventId: delivered!.eventId, sequence: 2, diedAt: 5_000, acknowledgedAt: null }),
      ]);
      // A repeated acknowledgement (a duplicate answer) changes nothing.
      await store.acknowledgeCallbackEvents([sent!.eventId], 9_500);
      expect((await store.callbackEventsOfMessage(message.smsUid))[0]).toMatchObject({ attempts: 2, acknowledgedAt: 9_100 });
      expect((await store.callbackEventsOfMessage(other)).map((e) => e.smsUid)).toEqual([other]);
    });

    it('acknowledges (never claimed, counted or revived again), reschedules (counted, due later), buries, lists the dead, revives them', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'life');
      await clientWithCallback(store, 'other');
      await sendMessage(store, ['LF1'], 2_000, { clientId: 'life' });
      const b = await sendMessage(store, ['LF2'], 2_001, { clientId: 'life' });
      const c = await sendMessage(store, ['LF3'], 2_002, { clientId: 'other' });
      const [ea, eb] = await claimAll(store, 'life', 3_000);
      await store.acknowledgeCallbackEvents([ea!.eventId], 3_100);
      await store.rescheduleCallbackEvents([eb!.eventId], 8_000, 'HTTP 500');
      // A late failure or burial of an acknowledged event (another sender's lease ran out) changes nothing.
      await store.rescheduleCallbackEvents([ea!.eventId], 8_000, 'HTTP 500');
      await store.buryCallbackEvents([ea!.eventId], 'timeout', 3_200);
      expect(await claimAll(store, 'life', 7_999)).toEqual([]);
      const [again] = await claimAll(store, 'life', 8_000);
      expect(again).toMatchObject({ smsUid: b, attempts: 1 });
      expect(await store.callbackBacklog()).toEqual({ owed: 2, dead: 0 });

      const [ec] = await claimAll(store, 'other', 8_000);
      await store.buryCallbackEvents([again!.eventId], 'timeout', 9_000);
      await store.buryCallbackEvents([ec!.eventId], 'ECONNREFUSED', 9_500);
      expect(await store.callbackBacklog()).toEqual({ owed: 0, dead: 2 });
      expect(await claimAll(store, 'life', 1_000_000)).toEqual([]);
      expect(await store.clientsWithDueCallbacks(1_000_000)).toEqual([]);
      const dead = await store.deadCallbackEvents({ limit: 10 });
      expect(dead.map((e) => [e.smsUid, e.lastError, e.diedAt, e.attempts])).toEqual([
        [b, 'timeout', 9_000, 2],
        [c, 'ECONNREFUSED', 9_500, 1],
      ]);
      expect((await store.deadCallbackEvents({ clientId: 'other', limit: 10 })).map((e) => e.smsUid)).toEqual([c]);
      expect(await store.deadCallbackEvents({ limit: 1 })).toHaveLength(1);

      expect(await store.reviveDeadCallbackEvents({ clientId: 'other', now: 20_000 })).toBe(1);
      expect(await store.callbackBacklog()).toEqual({ owed: 1, dead: 1 });
      expect(await claimAll(store, 'other', 20_000)).toEqual([expect.objectContaining({ smsUid: c, attempts: 0, owedSince: 20_000 })]);
      expect(await store.reviveDeadCallbackEvents({ now: 21_000 })).toBe(1);
      expect(await store.deadCallbackEvents({ limit: 10 })).toEqual([]);
      expect(await store.callbackBacklog()).toEqual({ owed: 2, dead: 0 });
      // The acknowledged one stayed delivered through all of it.
      expect(await store.callbackEventsOfMessage(ea!.smsUid)).toEqual([
        expect.objectContaining({ eventId: ea!.eventId, attempts: 1, lastError: null, acknowledgedAt: 3_100, diedAt: null, nextAttemptAt: null }),
      ]);
    });

    it('never claims, hastens or counts acknowledged events, whatever their time or lease', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'done');
      for (let i = 0; i < 5; i++) await sendMessage(store, [`DN${i}`], 2_000 + i, { clientId: 'done' });
      const claimed = await claimAll(store, 'done', 3_000, 'one', 1_000);
      expect(claimed).toHaveLength(5);
      await store.acknowledgeCallbackEvents(claimed.slice(0, 4).map((e) => e.eventId), 3_500);
      // Long after every lease ran out: only the one never acknowledged is due.
      expect(await store.clientsWithDueCallbacks(1_000_000)).toEqual(['done']);
      expect((await claimAll(store, 'done', 1_000_000, 'two')).map((e) => e.eventId)).toEqual([claimed[4]!.eventId]);
      await store.acknowledgeCallbackEvents([claimed[4]!.eventId], 1_000_001);
      expect(await store.clientsWithDueCallbacks(2_000_000)).toEqual([]);
      expect(await claimAll(store, 'done', 2_000_000, 'three')).toEqual([]);
      expect(await store.callbackBacklog()).toEqual({ owed: 0, dead: 0 });
      expect(await store.reviveDeadCallbackEvents({ now: 2_000_000 })).toBe(0);
      // Acknowledged on its second try, due at 3_500_000: asked to hasten at an earlier "now", only
      // its acknowledgement keeps it out (it is neither leased nor due).
      await sendMessage(store, ['DN9'], 3_000_000, { clientId: 'done' });
      const [first] = await claimAll(store, 'done', 3_000_000);
      await store.rescheduleCallbackEvents([first!.eventId], 3_500_000, 'HTTP 503');
      const [second] = await claimAll(store, 'done', 3_500_000);
      await store.acknowledgeCallbackEvents([second!.eventId], 3_500_100);
      expect(await store.hastenCallbackEvents('done', 3_000_001)).toBe(0);
    });

    it('takes an acknowledgement of a dead event (an answer that came late) as delivered', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'late-ack');
      const smsUid = await sendMessage(store, ['LA1'], 2_000, { clientId: 'late-ack' });
      const [event] = await claimAll(store, 'late-ack', 3_000);
      await store.buryCallbackEvents([event!.eventId], 'timeout', 4_000);
      await store.acknowledgeCallbackEvents([event!.eventId], 4_500);
      expect(await store.deadCallbackEvents({ limit: 10 })).toEqual([]);
      expect(await store.callbackBacklog()).toEqual({ owed: 0, dead: 0 });
      expect(await store.callbackEventsOfMessage(smsUid)).toEqual([
        expect.objectContaining({ eventId: event!.eventId, attempts: 2, lastError: 'timeout', diedAt: null, acknowledgedAt: 4_500 }),
      ]);
    });

    it('retention deletes dead events that died before the cutoff, never owed ones', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'kept');
      await sendMessage(store, ['R1'], 2_000, { clientId: 'kept' });
      await sendMessage(store, ['R2'], 2_001, { clientId: 'kept' });
      await sendMessage(store, ['R3'], 2_002, { clientId: 'kept' });
      const [e1, e2] = await claimAll(store, 'kept', 3_000);
      await store.buryCallbackEvents([e1!.eventId], 'x', 4_000);
      await store.buryCallbackEvents([e2!.eventId], 'x', 9_000);
      await store.deleteFinishedBefore(5_000);
      expect((await store.deadCallbackEvents({ limit: 10 })).map((e) => e.eventId)).toEqual([e2!.eventId]);
      expect(await store.callbackBacklog()).toEqual({ owed: 1, dead: 1 });
    });

    it('retention deletes acknowledged events with their message, and keeps them while the message is kept', async () => {
      const { store } = handle;
      await clientWithCallback(store, 'history');
      // Finished at 3_000 (gone at cutoff 5_000) and at 8_000 (kept); each has sent + delivered events.
      const early = await sendMessage(store, ['H1'], 2_000, { clientId: 'history' });
      await deliver(store, 'H1', 3_000);
      const later = await sendMessage(store, ['H2'], 2_001, { clientId: 'history' });
      await deliver(store, 'H2', 8_000);
      const events = await claimAll(store, 'history', 9_000);
      expect(events).toHaveLength(4);
      const [owedStill] = events.filter((e) => e.smsUid === early && e.sequence === 2);
      await store.acknowledgeCallbackEvents(
        events.filter((e) => e !== owedStill).map((e) => e.eventId),
        9_100,
      );
      await store.rescheduleCallbackEvents([owedStill!.eventId], 20_000, 'HTTP 503');
      await store.deleteFinishedBefore(5_000);
      expect(await store.getMessage(early)).toBeUndefined();
      expect(await store.getMessage(later)).toBeDefined();
      // The early message's acknowledged event went with it; its owed one stays (each row carries what a receiver needs).
      expect((await store.callbackEventsOfMessage(early)).map((e) => [e.sequence, e.acknowledgedAt])).toEqual([[2, null]]);
      expect((await store.callbackEventsOfMessage(later)).map((e) => [e.sequence, e.acknowledgedAt])).toEqual([
        [1, 9_100],
        [2, 9_100],
      ]);
      expect(await store.callbackBacklog()).toEqual({ owed: 1, dead: 0 });
    });
  });
}
