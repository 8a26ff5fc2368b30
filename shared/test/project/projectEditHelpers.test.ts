import { describe, expect, it } from 'vitest';
import {
  dependencyRefusal,
  deriveProjectState,
  matterModesAllowed,
} from '../../src/project/index.js';
import { baseHistory } from './fixtures.js';

describe('the checks an edit form runs before writing', () => {
  it('dependencyRefusal names the cycle with the matter’s name, and passes a sound edge', () => {
    const state = deriveProjectState(baseHistory());
    expect(dependencyRefusal(state, 'A', ['B'])).toMatchObject({
      code: 'PROJECT_DEPENDENCY_CYCLE',
      messageZh: '事项“事项A”的前置关系会形成循环，请检查流程图',
    });
    expect(dependencyRefusal(state, 'A', ['A'])?.code).toBe('PROJECT_DEPENDENCY_CYCLE');
    expect(dependencyRefusal(state, 'B', ['A'])).toBeNull();
    expect(dependencyRefusal(state, 'A', [])).toBeNull();
    expect(dependencyRefusal(state, 'A', ['Z'])?.code).toBe('PROJECT_DEPENDENCY_UNKNOWN');
    expect(dependencyRefusal(state, 'Z', [])?.code).toBe('PROJECT_MATTER_UNKNOWN');
  });

  it('matterModesAllowed offers the profile’s modes, every mode without a profile, and keeps a current mark', () => {
    // 建设工程规划许可: 模拟审批 and 容缺受理 apply.
    expect(matterModesAllowed({ matterKey: '010010040000', modes: [] })).toEqual([
      'simulated',
      'deferred',
    ]);
    expect(matterModesAllowed({ matterKey: '010010040000', modes: ['joint'] })).toEqual([
      'simulated',
      'deferred',
      'joint',
    ]);
    expect(matterModesAllowed({ matterKey: 'not-a-profile', modes: [] })).toEqual([
      'simulated',
      'deferred',
      'joint',
    ]);
  });
});
