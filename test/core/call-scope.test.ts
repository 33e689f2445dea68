import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asFunction, asValue, createContainer, type AwilixContainer } from 'awilix';
import { CallScope } from '../../core/pipeline/call-scope.js';

/** A root container that counts the scopes made from it. */
function root(): { container: AwilixContainer; scopes: () => number } {
  const container = createContainer({ strict: true });
  let made = 0;
  const createScope = container.createScope.bind(container);
  container.createScope = () => {
    made += 1;
    return createScope();
  };
  return { container, scopes: () => made };
}

test('a call scope serves its values, root values and singletons without making an awilix scope', () => {
  const { container, scopes } = root();
  container.register({ config: asValue({ a: 1 }), clock: asFunction(() => ({ now: 1 })).singleton() });
  const scope = new CallScope(container, { principal: 'local' });
  assert.equal(scope.resolve('principal'), 'local');
  assert.deepEqual(scope.resolve('config'), { a: 1 });
  assert.equal(scope.resolve('clock'), container.resolve('clock'));
  scope.provide({ session: { id: 's' } });
  assert.deepEqual(scope.resolve('session'), { id: 's' });
  assert.equal(scopes(), 0);
});

test('a root value is looked up in awilix once, not once per call', () => {
  const { container } = root();
  container.register({ config: asValue({ a: 1 }) });
  let lookups = 0;
  const resolve = container.resolve.bind(container);
  container.resolve = ((name: string) => {
    lookups += 1;
    return resolve(name);
  }) as typeof container.resolve;
  const calls = [new CallScope(container, {}), new CallScope(container, {})];
  assert.equal(calls[0]!.resolve('config'), calls[1]!.resolve('config'));
  assert.equal(lookups, 1);
});

test('a scoped or transient service is built in an awilix scope holding every value provided', async () => {
  const { container, scopes } = root();
  const disposed: string[] = [];
  container.register({
    greeting: asFunction(({ principal, session }: { principal: string; session: { id: string } }) => `${principal}/${session.id}`)
      .scoped()
      .disposer((value) => void disposed.push(value)),
    fresh: asFunction(({ principal }: { principal: string }) => ({ principal })).transient(),
  });
  const scope = new CallScope(container, { principal: 'key:ops' });
  scope.provide({ session: { id: 'before' } });
  assert.equal(scope.resolve('greeting'), 'key:ops/before');
  assert.equal(scopes(), 1);
  scope.provide({ session: { id: 'after' } });
  assert.deepEqual(scope.resolve('session'), { id: 'after' }, 'a value provided once the scope exists reaches it');
  assert.equal(scope.awilix.resolve<{ id: string }>('session').id, 'after');
  assert.deepEqual(scope.resolve('fresh'), { principal: 'key:ops' });
  await scope.dispose();
  assert.deepEqual(disposed, ['key:ops/before'], 'what the scope built is disposed when the call ends');
});

test('a lazy value is made once per call, whether the call or a service asks first', () => {
  const { container } = root();
  let made = 0;
  container.register({ user: asFunction(({ resolve }: { resolve: { n: number } }) => resolve).scoped() });
  const lazy = { resolve: () => ({ n: (made += 1) }) };
  const callFirst = new CallScope(container, {}, lazy);
  assert.equal(callFirst.resolve('resolve'), callFirst.resolve('user'));
  const serviceFirst = new CallScope(container, {}, lazy);
  assert.equal(serviceFirst.resolve('user'), serviceFirst.resolve('resolve'));
  assert.equal(made, 2);
});

test('disposing a call that never needed an awilix scope does nothing', async () => {
  const { container, scopes } = root();
  await new CallScope(container, { a: 1 }).dispose();
  assert.equal(scopes(), 0);
});
