/**
 * SMSCs disagree on whether a message id is hex or decimal between submit_sm_resp and the
 * delivery receipt, and on leading zeros. Ids are stored and compared in one normal form, and a
 * receipt's id also matches its reading in the other base.
 */
const DECIMAL = /^[0-9]+$/;
const HEX = /^[0-9a-f]+$/;

/** Lower case; a purely hexadecimal id loses its leading zeros. Stores keep ids in this form. */
export function normaliseCarrierId(id: string): string {
  const lower = id.trim().toLowerCase();
  return HEX.test(lower) ? lower.replace(/^0+(?=.)/, '') : lower;
}

/** The normal form of the id, and of its reading in the other base where it is a number. */
export function carrierIdCandidates(id: string): string[] {
  const own = normaliseCarrierId(id);
  const candidates = new Set([own]);
  if (DECIMAL.test(own) && own.length <= 30) candidates.add(BigInt(own).toString(16));
  if (HEX.test(own) && own.length <= 24) candidates.add(BigInt(`0x${own}`).toString(10));
  return [...candidates];
}
