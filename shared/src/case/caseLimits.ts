/**
 * Hard caps on a case's history and on one push of it. They hold whatever a pushed row carries
 * (a row without an assumed master carries only its new events, so the schema's own maxItems
 * never sees the stored history). The client splits its pushes by them and keeps going.
 */

/** Events one case may hold in all (the case schema's `events.maxItems`). */
export const MAX_CASE_EVENTS = 5000;

/** New events one pushed row may add; a device with more pushes its outbox in slices. */
export const MAX_NEW_EVENTS_PER_ROW = 500;

/** Bytes (UTF-8 JSON) of the request body the hub reads at all (its HTTP body limit). */
export const PUSH_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Bytes of one row's `newDocumentState`. Half the body limit, so any row the hub takes fits
 * a request on its own; a larger row is refused alone, never its batch.
 */
export const MAX_PUSH_ROW_BYTES = 1024 * 1024;

/**
 * Bytes of a stored case. Smaller than a row, so the holder's next push (the stored case plus
 * its new events) still fits a row.
 */
export const MAX_CASE_BYTES = 768 * 1024;

/** UTF-8 length of a value's JSON, as the limits above count it. */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair is one 4-byte character.
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
