/** Where a client's callbacks go, and the secret they are signed with. */
export interface CallbackTarget {
  readonly url: string;
  readonly secret: string;
}

/** What the targets are read from: the catalog (ClientRecord.callback), by version. */
export interface CallbackCatalog {
  catalogVersion(): Promise<number>;
  listClients(): Promise<readonly { readonly clientId: string; readonly callback?: CallbackTarget | null }[]>;
}

/**
 * The clients' callback targets, held in memory and reloaded when the catalog version moved, so
 * the sender reads no table per request; a URL set or cleared with the CLI is used from the next
 * look on.
 */
export class CallbackTargets {
  private targets = new Map<string, CallbackTarget>();
  private version = -1;
  private loading: Promise<void> | undefined;

  constructor(private readonly catalog: CallbackCatalog) {}

  /** The client's target as of the last refresh; undefined when the client has none. */
  of(clientId: string): CallbackTarget | undefined {
    return this.targets.get(clientId);
  }

  /** One reload at a time, and only when the catalog changed. */
  refresh(): Promise<void> {
    this.loading ??= this.reloadIfChanged().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async reloadIfChanged(): Promise<void> {
    const version = await this.catalog.catalogVersion();
    if (version === this.version) return;
    const clients = await this.catalog.listClients();
    const targets = new Map<string, CallbackTarget>();
    for (const client of clients) if (client.callback) targets.set(client.clientId, { url: client.callback.url, secret: client.callback.secret });
    this.targets = targets;
    this.version = version;
  }
}
