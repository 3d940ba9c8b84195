/**
 * The share rule of the Redis coordinator, kept pure so it can be tested without Redis. With
 * `live` dispatchers each holds between floor(slots / live) and ceil(slots / live) slots of a
 * pool: rounding up lets every slot find a holder when they do not divide evenly, and the floor
 * guarantees a newcomer its part. A dispatcher below the floor says it is hungry (a flag in
 * Redis); while one is, those above the floor give their extras back.
 */
export interface ShareStep {
  /** Held slots to give back, highest first. */
  readonly release: number[];
  /** Free slots to try, in order, until `want` more are held. */
  readonly tryTake: number[];
  readonly want: number;
  /** Below the floor: others should make room. */
  readonly hungry: boolean;
}

/**
 * What to do about one pool. `start` spreads where dispatchers begin looking, so that several
 * starting together do not all race for slot 0.
 */
export function shareStep(held: ReadonlySet<number>, slots: number, live: number, start: number, someoneHungry: boolean): ShareStep {
  const floor = Math.floor(slots / Math.max(1, live));
  const ceil = Math.ceil(slots / Math.max(1, live));
  const hungry = held.size < floor;
  // With fewer slots than dispatchers nobody can be owed one: a flag then is stale.
  const limit = someoneHungry && !hungry && floor > 0 ? floor : ceil;
  if (held.size > limit) {
    const release = [...held].sort((a, b) => b - a).slice(0, held.size - limit);
    return { release, tryTake: [], want: 0, hungry };
  }
  const tryTake: number[] = [];
  for (let i = 0; i < slots; i += 1) {
    const slot = (start + i) % slots;
    if (!held.has(slot)) tryTake.push(slot);
  }
  // Above the floor, take more only when nobody is waiting for a first share.
  const want = hungry || !someoneHungry ? ceil - held.size : 0;
  return { release: [], tryTake, want, hungry };
}
