/**
 * Values built on first use instead of at module scope. A module's top-level code runs on every
 * cold start of every function that imports the module, used or not: the release model's schemas
 * alone ran about 1,100 zod constructor initializations at each import (counted in the bundles),
 * although the deliver function validates no release.
 */

/**
 * An object that stands for `build()`'s result and builds it on its first use (any property read,
 * `in`, key listing or prototype check), then forwards everything to it. For zod schemas: `z.parse`,
 * `.check`, `z.extend`, nesting in other schemas and `z.infer` work as on the schema itself.
 * Methods are called on the built object (zod's are closures over their schema), so nothing sees
 * the stand-in as `this`; identity differs (`deferred === built` is false), which zod never compares.
 *
 * @example
 * export const ThingSchema = builtOnFirstUse(() => z.object({ name: z.string() }));
 * z.parse(ThingSchema, { name: 'a' }); // builds the schema here, once
 */
export function builtOnFirstUse<T extends object>(build: () => T): T {
  let built: T | undefined;
  const target = (): T => {
    built ??= build();
    return built;
  };
  // The proxy's own target is an empty extensible object: every trap answers from the built value,
  // and descriptors are reported configurable, which the proxy invariants allow for such a target.
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(target(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(target(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}
