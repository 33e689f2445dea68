import { asFunction, asValue, Lifetime, type AwilixContainer, type Resolver } from 'awilix';

type Values = Record<string, unknown>;

/**
 * Root values and singletons once resolved, per root container: the same instance for every call,
 * and awilix's resolve costs more than the rest of a call's look-ups. Root registrations are made
 * at start-up (createApp), never during calls.
 */
const shared = new WeakMap<AwilixContainer, Map<string, unknown>>();
type Lazy = (scope: CallScope) => unknown;

/**
 * What one tool call provides (principal, session, the Taiga API, the name resolver…) and, only when
 * something asks for a name it does not hold, an awilix scope of the root container with all of it
 * registered. Most calls never need that scope: making one and registering a call's values in it
 * cost more than every pipeline stage together.
 */
export class CallScope {
  private container: AwilixContainer | undefined;
  private readonly values: Values;

  constructor(
    private readonly root: AwilixContainer,
    values: Values,
    private readonly lazy: Readonly<Record<string, Lazy>> = {},
  ) {
    this.values = { ...values };
  }

  /** The awilix scope, made at first use; plugin services and middleware resolve from it. */
  get awilix(): AwilixContainer {
    if (!this.container) {
      this.container = this.root.createScope();
      this.container.register(asValues(this.values));
      // One instance per call, whichever side asks first.
      for (const name of Object.keys(this.lazy)) {
        if (!Object.hasOwn(this.values, name)) this.container.register(name, asFunction(() => this.resolve(name)).scoped());
      }
    }
    return this.container;
  }

  provide(entries: Values): void {
    Object.assign(this.values, entries);
    this.container?.register(asValues(entries));
  }

  resolve<T>(name: string): T {
    if (Object.hasOwn(this.values, name)) return this.values[name] as T;
    const make = this.lazy[name];
    if (make) return (this.values[name] = make(this)) as T;
    if (!this.container) {
      let known = shared.get(this.root);
      if (known?.has(name)) return known.get(name) as T;
      // A root value or singleton is the same instance from any scope: no need to make one for it.
      if (isRootShared(this.root.getRegistration(name) ?? undefined)) {
        const value = this.root.resolve<T>(name);
        if (!known) shared.set(this.root, (known = new Map()));
        known.set(name, value);
        return value;
      }
    }
    return this.awilix.resolve<T>(name);
  }

  /** Runs the disposers of what the awilix scope built, if it was made. */
  async dispose(): Promise<void> {
    await this.container?.dispose();
  }
}

function isRootShared(resolver: Resolver<unknown> | undefined): boolean {
  if (resolver === undefined) return false;
  const { lifetime, isLeakSafe } = resolver as { lifetime?: string; isLeakSafe?: boolean };
  // asValue is the leak-safe resolver without a lifetime; an alias (no lifetime either) may point at a scoped one.
  return lifetime === undefined ? isLeakSafe === true : lifetime === Lifetime.SINGLETON;
}

function asValues(entries: Values): Record<string, Resolver<unknown>> {
  const out: Record<string, Resolver<unknown>> = {};
  for (const name of Object.keys(entries)) out[name] = asValue(entries[name]);
  return out;
}

/** What provide and resolveIn need of a ToolCall (one built by hand, in a plugin's test, may have only `scope`). */
interface ScopedCall {
  readonly callScope?: CallScope;
  readonly scope: AwilixContainer;
}

/** Puts values into a call's scope. */
export function provide(call: ScopedCall, entries: Values): void {
  if (call.callScope) call.callScope.provide(entries);
  else call.scope.register(asValues(entries));
}

export function resolveIn<T>(call: ScopedCall, name: string): T {
  return call.callScope ? call.callScope.resolve<T>(name) : call.scope.resolve<T>(name);
}
