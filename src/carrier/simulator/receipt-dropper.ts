import { GatewayError } from '../../domain/errors.js';

/**
 * Loses a share (0..1) of the receipts, as an SMSC that restarts or drops them does. The losses
 * are spread evenly rather than drawn at random, so a test knows how many to expect: after n
 * receipts, exactly floor(n * share) were dropped.
 */
export class ReceiptDropper {
  private seen = 0;

  constructor(private readonly share: number) {
    if (!(share >= 0 && share <= 1)) throw new GatewayError('INVALID_CONFIG', `simulator: the share of receipts to drop must be 0..1, not ${share}`);
  }

  /** Whether the next receipt is lost. */
  drops(): boolean {
    const before = Math.floor(this.seen * this.share);
    this.seen += 1;
    return Math.floor(this.seen * this.share) > before;
  }
}
