// Barrel of shared/src/identity: ID number, USCC and phone checks, masking, ID digests.
export {
  checkIdNumber,
  idNumberCheckChar,
  idNumberInfo,
  isValidIdNumber,
  normaliseIdNumber,
} from './idNumber.js';
export type { IdNumberInfo } from './idNumber.js';
export { checkUscc, isValidUscc, normaliseUscc, usccCheckChar } from './uscc.js';
export {
  checkPhone,
  isValidLandline,
  isValidMobile,
  isValidPhone,
  normalisePhone,
  PHONE_PATTERN,
} from './phone.js';
export { maskIdNumber, maskName, maskPhone, maskUscc, roleSeesFullIdentity } from './mask.js';
export { idDigest, idDigestCandidates, isCountyKey, type CountyKey } from './idDigest.js';
