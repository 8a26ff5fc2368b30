// Barrel of shared/src/numbering: provisional and official case numbers, device short codes.
export {
  formatOfficialNo,
  formatProvisionalNo,
  MAX_DAILY_SEQUENCE,
  MAX_OFFICIAL_SERIAL,
  nextSequence,
  parseOfficialNo,
  parseProvisionalNo,
} from './caseNumber.js';
export type { OfficialNoParts, ProvisionalNoParts, SequenceState } from './caseNumber.js';
export { CROCKFORD_ALPHABET } from './crockfordBase32.js';
export {
  allocateDeviceShort,
  DEVICE_SHORT_LENGTH,
  deviceShortFromId,
  isDeviceShort,
} from './deviceShort.js';
