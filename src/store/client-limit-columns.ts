import type { ClientLimitSettings } from '../domain/client-limits.js';

/** The clients columns that hold its limits, as both adapters read them. */
export interface ClientLimitColumns {
  rate: string | null;
  /** PostgreSQL's bigint arrives as a string. */
  daily_quota: number | string | null;
  countries: string | null;
  country_cap: string | null;
  sender: string | null;
}

export function limitsOfRow(row: ClientLimitColumns): ClientLimitSettings {
  return {
    rate: row.rate,
    dailyQuota: row.daily_quota === null ? null : Number(row.daily_quota),
    countries: row.countries,
    countryCap: row.country_cap,
    sender: row.sender,
  };
}
