import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { builtOnFirstUse } from '../../../functions/core/first-use';
import { ReleaseIdSchema, ReleaseSchema } from '../../../functions/core/release';

describe('builtOnFirstUse', () => {
  it('builds nothing until the value is used, then builds it once', () => {
    // Prepare
    let builds = 0;
    const Name = builtOnFirstUse(() => {
      builds += 1;
      return z.string().check(z.minLength(2));
    });
    // Act: nesting it in another schema is not a use
    const Outer = z.object({ name: Name, tags: z.array(Name) });
    const before = builds;
    const parsed = z.safeParse(Outer, { name: 'ab', tags: ['cd'] });
    const refused = z.safeParse(Outer, { name: 'a', tags: [] });
    // Assess
    expect(before).toBe(0);
    expect(parsed.success).toBe(true);
    expect(refused.success).toBe(false);
    expect(builds).toBe(1);
  });

  it('stands for the schema in zod’s functions: parse, check, extend, omit', () => {
    // Prepare
    const Thing = builtOnFirstUse(() => z.object({ id: z.string(), size: z.int() }));
    // Act
    const Extended = z.extend(z.omit(Thing, { size: true }), { colour: z.enum(['red', 'blue']) });
    const Checked = Thing.check(z.refine((t) => t.size > 0, { message: 'size must be positive' }));
    // Assess
    expect(z.parse(Extended, { id: 'a', colour: 'red' })).toEqual({ id: 'a', colour: 'red' });
    expect(z.safeParse(Checked, { id: 'a', size: 0 }).error?.issues[0]?.message).toBe('size must be positive');
    expect(Object.keys(Thing._zod.def.shape)).toEqual(['id', 'size']);
  });

  it('keeps the release model’s schemas working (they are built on first use)', () => {
    expect(z.safeParse(ReleaseIdSchema, 'acme-q3-results').success).toBe(true);
    expect(z.safeParse(ReleaseIdSchema, 'Acme Q3').success).toBe(false);
    expect(z.safeParse(ReleaseSchema, { id: 'x' }).success).toBe(false);
  });
});
