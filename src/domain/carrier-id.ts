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

/**
 * The ways a receipt's id can name a submitted id, each in normal form: as written, as the
 * decimal id the receipt wrote in hex, and as the hex id it wrote in decimal (where it is such a
 * number; absurdly long numbers are not converted).
 */
export function carrierIdReadings(id: string): { asWritten: string; hexOfDecimal?: string; decimalOfHex?: string } {
  const own = normaliseCarrierId(id);
  return {
    asWritten: own,
    hexOfDecimal: HEX.test(own) && own.length <= 24 ? BigInt(`0x${own}`).toString(10) : undefined,
    decimalOfHex: DECIMAL.test(own) && own.length <= 30 ? BigInt(own).toString(16) : undefined,
  };
}

/** The normal form of the id, and of its reading in the other base where it is a number. */
export function carrierIdCandidates(id: string): string[] {
  const { asWritten, hexOfDecimal, decimalOfHex } = carrierIdReadings(id);
  return [...new Set([asWritten, decimalOfHex, hexOfDecimal].filter((c): c is string => c !== undefined))];
}
