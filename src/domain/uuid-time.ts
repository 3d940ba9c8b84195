/**
 * The time a UUIDv7 was made, in epoch milliseconds (its first 48 bits), or undefined when the
 * value is not a UUIDv7. An sms_uid is one, made the moment its send was accepted: so the accept
 * time of a message travels in its id, and a status transition needs no created_at beside it.
 */
export function uuidV7Time(uuid: string): number | undefined {
  if (uuid.length !== 36 || uuid[14] !== '7') return undefined;
  const ms = Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16);
  return Number.isNaN(ms) ? undefined : ms;
}
