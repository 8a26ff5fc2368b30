import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMPILED_VALIDATORS_FILE,
  compiledValidatorsSource,
} from '../../shared/scripts/compileSchemas.js';

describe('precompiled schema validators', () => {
  it('are the code of the schemas as they are now (npm run schemas:compile after a change)', () => {
    // A schema edited without regenerating would leave the hub and the desktop validating
    // against the old schema while the RxDB schema (built from the objects) has the new one.
    expect(readFileSync(COMPILED_VALIDATORS_FILE, 'utf8')).toBe(compiledValidatorsSource());
  });

  it('compile nothing at run time (the desktop CSP has no unsafe-eval)', () => {
    const code = readFileSync(COMPILED_VALIDATORS_FILE, 'utf8');
    expect(code).not.toMatch(/new Function|\beval\(|require\(/);
    const shared = readFileSync(
      new URL('../../shared/src/schemas/schemaValidator.ts', import.meta.url),
      'utf8',
    );
    expect(shared).not.toMatch(/\.compile\(|new Ajv/);
  });
});
