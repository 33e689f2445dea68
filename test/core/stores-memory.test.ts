import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CLAIMED, MemoryStore } from '../../core/sessions/memory-store.js';
import { CopyingMemoryStore } from '../helpers/copying-store.js';
import { storeContract } from './store-contract.js';
import { raceSuite } from './race-suite.js';

storeContract('MemoryStore', async () => {
  let t = 1_700_000_000_000;
  const store = new MemoryStore({ now: () => t });
  return { store, other: store, advance: async (ms) => void (t += ms), jumps: true, close: () => store.close() };
});

storeContract('CopyingMemoryStore', async () => {
  let t = 1_700_000_000_000;
  const store = new CopyingMemoryStore({ now: () => t });
  return { store, other: store, advance: async (ms) => void (t += ms), jumps: true, close: () => store.close() };
});

raceSuite('MemoryStore', async () => {
  const store = new MemoryStore();
  return { one: store, two: store, close: () => store.close() };
});

raceSuite('CopyingMemoryStore', async () => {
  const store = new CopyingMemoryStore();
  return { one: store, two: store, close: () => store.close() };
});

test('MemoryStore: full of live claims, a new claim is refused rather than an old one forgotten; lapsed ones make room', async () => {
  let t = 0;
  const store = new MemoryStore({ now: () => t });
  // k0 lapses first, at 500; every other claim at 1000.
  for (let i = 0; i < MAX_CLAIMED; i++) assert.equal(await store.claimOnce(`k${i}`, i === 0 ? 500 : 1000), true);
  assert.equal(await store.claimOnce('one more', 1000), false);
  assert.equal(await store.claimOnce('k0', 1000), false, 'the oldest is still remembered');
  t = 500; // k0 lapses at this very millisecond
  assert.equal(await store.claimOnce('k0', 1000), true, 'lapsed, so claimable again, though the claims are still full');
  t = 999;
  assert.equal(await store.claimOnce('one more', 1000), false, 'nothing else has lapsed yet');
  t = 1000; // the other first claims lapse at this very millisecond
  assert.equal(await store.claimOnce('one more', 1000), true, 'the lapsed ones make room');
  assert.equal(await store.claimOnce('k0', 1000), false, 'its second claim runs until 1500');
});
