import { describe, expect, it } from 'vitest';
import { ERROR_STATUSES, MESSAGE_STATUSES, canTransition, isFinalStatus, type MessageStatus } from './message-status.js';

const FINAL: MessageStatus[] = ['delivered', ...ERROR_STATUSES];

describe('message status', () => {
  it('queuing and sent move on; delivered and error_* are final', () => {
    expect(isFinalStatus('queuing')).toBe(false);
    expect(isFinalStatus('sent')).toBe(false);
    for (const s of FINAL) expect(isFinalStatus(s)).toBe(true);
  });

  it('moves forward: queuing -> sent -> delivered or error_*', () => {
    expect(canTransition('queuing', 'sent')).toBe(true);
    expect(canTransition('queuing', 'delivered')).toBe(true);
    expect(canTransition('sent', 'delivered')).toBe(true);
    for (const e of ERROR_STATUSES) {
      expect(canTransition('queuing', e)).toBe(true);
      expect(canTransition('sent', e)).toBe(true);
    }
  });

  it('never moves backward or sideways', () => {
    expect(canTransition('sent', 'queuing')).toBe(false);
    expect(canTransition('queuing', 'queuing')).toBe(false);
    expect(canTransition('sent', 'sent')).toBe(false);
  });

  it('a final status never changes', () => {
    for (const from of FINAL) for (const to of MESSAGE_STATUSES) expect(canTransition(from, to)).toBe(false);
  });

  it('knows its statuses', () => {
    for (const e of ERROR_STATUSES) expect(e.startsWith('error_')).toBe(true);
  });
});
