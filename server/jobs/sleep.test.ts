import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './sleep';

describe('sleep', () => {
  it('leaves no abort listener behind after the timer fires (one signal, many polls)', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('wakes at once when the signal aborts, and at once when it already has', async () => {
    const controller = new AbortController();
    const long = sleep(60_000, controller.signal);
    controller.abort();
    await long;
    await sleep(60_000, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
