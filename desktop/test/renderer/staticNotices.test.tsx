import { expect, it } from 'vitest';
import { waitFor } from '@testing-library/react';
import { message } from 'antd';

// The test setup (test/setup.ts) closes antd's static notices after every test: a 提示 left
// open closes on its own timer later, and if that comes after the file's jsdom is gone,
// React's commit fails the whole run ("window is not defined", CI of stop 25).
let mutations = 0;
it('a screen shows a static 提示 and its test ends', async () => {
  void message.success('已保存', 0.5);
  await waitFor(() => expect(document.querySelector('.ant-message-notice')).not.toBeNull());
});
it('nothing renders after that test any more (its close timer is gone)', async () => {
  const observer = new MutationObserver((m) => (mutations += m.length));
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  await new Promise((r) => setTimeout(r, 1_000));
  observer.disconnect();
  expect(mutations).toBe(0);
});
