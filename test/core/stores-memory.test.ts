import { MemoryStore } from '../../core/sessions/memory-store.js';
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
