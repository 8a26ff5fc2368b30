/**
 * The 全部办件 search box by ID number (features/cases/CaseList.tsx) on a real RxDB database:
 * with the county key stored on this PC it finds the citizen's case recorded with the keyed
 * digest and the one recorded before the key arrived (unkeyed), and not another citizen's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { idDigest, idNumberCheckChar, type CountyKey } from '@sibantong/shared';
import { keepCountyKey, resetCountyKeyCache } from '../../src/renderer/auth/countyKey';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { CaseList } from '../../src/renderer/features/cases/CaseList';
import { caseDoc } from './caseFixtures';
import { renderInApp } from './support/renderInApp';

let db: AppDatabase | null = null;

afterEach(async () => {
  cleanup();
  resetCountyKeyCache();
  localStorage.removeItem('sibantong.countyKey');
  await db?.close();
  db = null;
});

const idOf = (seq: string) => {
  const first17 = `11010119900307${seq}`;
  return first17 + idNumberCheckChar(first17);
};
const KEY: CountyKey = { keyId: 'c1', key: 'q'.repeat(43) };

describe('the case list searched by ID number', { timeout: 30_000 }, () => {
  it('finds the keyed and the old unkeyed case of the citizen, not another citizen', async () => {
    const deviceId = 'dev-idsearch';
    await keepCountyKey(deviceId, KEY);
    const citizen = idOf('123');
    const other = idOf('456');
    db = await openDatabase(`${deviceId}-${Date.now()}`, 'k-0123456789abcdef');
    await db.cases.bulkInsert([
      caseDoc('old', { applicantIdDigest: await idDigest(citizen) }),
      caseDoc('new', { applicantIdDigest: await idDigest(citizen, KEY) }),
      caseDoc('else', { applicantIdDigest: await idDigest(other, KEY) }),
    ]);
    renderInApp(<CaseList />, {
      db,
      user: { userId: 'vh', name: '帮办员', role: 'village_helper', orgUnitId: 'v1' },
      deviceId,
    });
    const rows = () =>
      within(screen.getByTestId('all-cases'))
        .queryAllByTestId('case-no')
        .map((n) => n.textContent)
        .sort();
    await waitFor(() => expect(rows()).toHaveLength(3));
    fireEvent.change(screen.getByPlaceholderText('临时号、正式号、申请人姓氏或身份证号'), {
      target: { value: citizen.toLowerCase() },
    });
    await waitFor(() => expect(rows()).toEqual(['LS-V1-new', 'LS-V1-old']));
  });
});
