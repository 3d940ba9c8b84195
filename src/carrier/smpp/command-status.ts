import smpp from 'smpp';

/** SMPP command_status values by name, from the smpp package's table (SMPP 3.4 5.1.3). */
const NAMES = new Map<number, string>(Object.entries(smpp.errors).map(([name, status]) => [status, name]));

export const ESME_RINVCMDID = smpp.errors.ESME_RINVCMDID!;
export const ESME_RMSGQFUL = smpp.errors.ESME_RMSGQFUL!;
export const ESME_RTHROTTLED = smpp.errors.ESME_RTHROTTLED!;

/** Refusals no quick retry can cure: the account itself is wrong or barred. */
export const CREDENTIAL_REFUSALS: ReadonlySet<number> = new Set(
  ['ESME_RBINDFAIL', 'ESME_RINVPASWD', 'ESME_RINVSYSID', 'ESME_RINVSYSTYP'].map((name) => smpp.errors[name]!),
);

/** `ESME_RINVPASWD` for 14; a status the table does not name reads as hex, e.g. `0x00000400`. */
export function commandStatusName(status: number): string {
  return NAMES.get(status) ?? `0x${status.toString(16).padStart(8, '0')}`;
}
