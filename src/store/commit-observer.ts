/**
 * Told after each commit a store's writer made: which writer (`combined`: the dispatcher's and,
 * over SQLite, every write of a turn; `sends`: the API's group commit of sends), how many writes
 * the transaction carried and how long it took. Lets metrics count commits without the store
 * adapters importing a metrics library. Called once per commit, not per write.
 */
export type CommitObserver = (writer: CommitWriter, writes: number, seconds: number) => void;

export type CommitWriter = 'combined' | 'sends';
