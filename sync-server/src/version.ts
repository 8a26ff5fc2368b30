import { readFileSync } from 'node:fs';

/** Version of the hub package, read once from its package.json. */
export const HUB_VERSION: string = (() => {
  const raw: unknown = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  );
  if (raw && typeof raw === 'object' && 'version' in raw && typeof raw.version === 'string') {
    return raw.version;
  }
  return '0.0.0';
})();
