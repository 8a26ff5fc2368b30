import {
  deviceShortFromId,
  formatProvisionalNo,
  nextSequence,
  type SequenceState,
} from '@sibantong/shared';

/**
 * Provisional case numbers, unique per device without the hub: service-point code + device
 * short code + date + daily sequence (shared format). The sequence survives restarts.
 */
const SEQ_KEY = 'sibantong.provisionalSeq';

export function nextProvisionalNo(pointCode: string, deviceId: string, now = new Date()): string {
  const date = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
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
