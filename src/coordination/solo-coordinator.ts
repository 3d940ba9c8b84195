import { allSlots, type BindCoordinator, type SlotListener, type SlotPool } from './bind-coordinator.js';

/**
 * The only dispatcher there is (no Redis; the embedded default): every slot is ours from the
 * start and stays ours.
 */
export class SoloCoordinator implements BindCoordinator {
  async start(pools: readonly SlotPool[], listener: SlotListener): Promise<void> {
    for (const pool of pools) await listener(pool.identity, allSlots(pool.slots));
  }

  async stop(): Promise<void> {}
}
