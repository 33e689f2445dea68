import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDeadline } from '../../../core/taiga/deadline.js';

test('the deadline fires after timeoutMs and says so', async () => {
  const deadline = startDeadline(30);
  await sleep(60);
  assert.equal(deadline.signal.aborted, true);
  assert.equal(deadline.expired, true);
  assert.equal((deadline.signal.reason as Error).name, 'TimeoutError');
  deadline.dispose();
});

test('a caller abort passes through, and is not a timeout', () => {
  const caller = new AbortController();
  const deadline = startDeadline(1000, caller.signal);
  caller.abort(new Error('stop'));
  assert.equal(deadline.signal.aborted, true);
  assert.equal(deadline.expired, false);
  deadline.dispose();

  const already = startDeadline(1000, AbortSignal.abort());
  assert.equal(already.signal.aborted, true);
  already.dispose();
});

test('after dispose neither the timer nor the caller can abort it (no lingering hooks)', async () => {
  const caller = new AbortController();
  const deadline = startDeadline(20, caller.signal);
  deadline.dispose();
  await sleep(40);
  caller.abort();
  assert.equal(deadline.signal.aborted, false);
});
