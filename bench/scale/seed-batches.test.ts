import { describe, expect, it } from 'vitest';
import { gridCell, multiRowInsert, rowRanges, rowsPerStatement } from './seed-batches';

describe('the seeding batcher', () => {
  it('covers every row exactly once, in order, with no batch over the size', () => {
    for (const [total, size] of [
      [0, 3],
      [1, 3],
      [9, 3],
      [10, 3],
      [1_000_000, 5_461],
    ] as const) {
      const ranges = [...rowRanges(total, size)];
      let next = 0;
      for (const range of ranges) {
        expect(range.start).toBe(next);
        expect(range.count).toBeGreaterThan(0);
        expect(range.count).toBeLessThanOrEqual(size);
        next += range.count;
      }
      expect(next).toBe(total);
      expect(ranges.length).toBe(Math.ceil(total / size));
    }
  });

  it('refuses a batch size that would never advance', () => {
    expect(() => [...rowRanges(10, 0)]).toThrow();
    expect(() => [...rowRanges(10, 0.5)]).toThrow();
  });

  it('keeps a statement within the parameter limit', () => {
    expect(rowsPerStatement(13, 65_535)).toBe(5_041);
    expect(13 * rowsPerStatement(13, 65_535)).toBeLessThanOrEqual(65_535);
    expect(() => rowsPerStatement(13, 12)).toThrow();
  });

  it('numbers PostgreSQL placeholders across rows, and uses ? for SQLite', () => {
    expect(multiRowInsert('t', ['a', 'b'], 2, 'postgres')).toBe(
      'insert into t (a, b) values ($1, $2), ($3, $4)',
    );
    expect(multiRowInsert('t', ['a', 'b'], 2, 'sqlite')).toBe(
      'insert into t (a, b) values (?, ?), (?, ?)',
    );
  });

  it('maps each row to a distinct (user, connector) pair', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 300; index += 1) {
      const { user, connector } = gridCell(index, 100);
      expect(connector).toBeLessThan(100);
      seen.add(`${user}:${connector}`);
    }
    expect(seen.size).toBe(300);
    expect(gridCell(299, 100)).toEqual({ user: 2, connector: 99 });
  });
});
