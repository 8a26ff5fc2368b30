import {
  chinaDate,
  deviceShortFromId,
  formatProvisionalNo,
  nextSequence,
  type SequenceState,
} from '@sibantong/shared';

/**
 * Provisional case numbers, unique per device without the hub: service-point code + device
 * short code + China date + daily sequence (shared format, shared sequence rule). Only the
 * sequence's storage is this device's: it survives restarts in localStorage.
 */
const SEQ_KEY = 'sibantong.provisionalSeq';

export function nextProvisionalNo(pointCode: string, deviceId: string, now = new Date()): string {
  const date = chinaDate(now);
  let last: SequenceState | null = null;
  try {
    last = JSON.parse(localStorage.getItem(SEQ_KEY) ?? 'null') as SequenceState | null;
  } catch {
    last = null;
  }
  const next = nextSequence(last, date);
  localStorage.setItem(SEQ_KEY, JSON.stringify(next));
  return formatProvisionalNo({
    pointCode,
    deviceShort: deviceShortFromId(deviceId),
    date,
    seq: next.seq,
  });
}
