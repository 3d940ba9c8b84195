import { expect, it } from 'vitest';
import { chooseReceiptPart, type PartMatch } from './reused-carrier-id.js';

const match = (overrides: Partial<PartMatch>): PartMatch => ({ carrierMessageId: 'a1', smsUid: 'u1', partNo: 1, final: false, sentAt: 1_000, ...overrides });

it('prefers the closest spelling of the id', () => {
  const other = match({ carrierMessageId: '161', smsUid: 'u2', sentAt: 9_000 });
  const own = match({ carrierMessageId: 'a1', smsUid: 'u1', final: true });
  expect(chooseReceiptPart(['a1', '161'], [other, own])).toBe(own);
});

it('prefers a message not final, then the newest submit, then the newest sms_uid', () => {
  const finalNewer = match({ smsUid: 'u3', final: true, sentAt: 5_000 });
  const openOlder = match({ smsUid: 'u1', sentAt: 1_000 });
  const openNewer = match({ smsUid: 'u2', sentAt: 2_000 });
  expect(chooseReceiptPart(['a1'], [finalNewer, openOlder])).toBe(openOlder);
  expect(chooseReceiptPart(['a1'], [openOlder, openNewer, finalNewer])).toBe(openNewer);
  const sameTimeLater = match({ smsUid: 'u9', sentAt: 2_000 });
  expect(chooseReceiptPart(['a1'], [sameTimeLater, openNewer])).toBe(sameTimeLater);
  expect(chooseReceiptPart(['a1'], [openNewer, sameTimeLater])).toBe(sameTimeLater);
});

it('finds nothing when no stored id is a candidate', () => {
  expect(chooseReceiptPart(['zz'], [match({})])).toBeUndefined();
});
