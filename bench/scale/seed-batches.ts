/** Placeholders as each driver numbers them: `?` for better-sqlite3, `$1…` for pg. */
export type PlaceholderStyle = 'sqlite' | 'postgres';

/** A run of rows to insert with one statement: rows `start` to `start + count - 1`. */
export interface RowRange {
  start: number;
  count: number;
}

/** The ranges, in order, of at most `size` rows each that cover `total` rows exactly once. */
export function* rowRanges(total: number, size: number): Generator<RowRange> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size ${size} is not ≥ 1`);
  for (let start = 0; start < total; start += size) {
    yield { start, count: Math.min(size, total - start) };
  }
}

/** How many rows fit in one statement without passing the driver's bound-parameter limit. */
export function rowsPerStatement(columnCount: number, maxParameters: number): number {
  const rows = Math.floor(maxParameters / columnCount);
  if (rows < 1) throw new Error(`${columnCount} columns exceed ${maxParameters} parameters`);
  return rows;
}

/** `insert into table (a, b) values (?, ?), (?, ?)…` for `rowCount` rows. */
export function multiRowInsert(
  table: string,
  columns: readonly string[],
  rowCount: number,
  style: PlaceholderStyle,
): string {
  const tuples: string[] = [];
  for (let row = 0; row < rowCount; row += 1) {
    const placeholders = columns.map((_column, column) =>
      style === 'sqlite' ? '?' : `$${row * columns.length + column + 1}`,
    );
    tuples.push(`(${placeholders.join(', ')})`);
  }
  return `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`;
}

/**
 * Connection `index` of a grid where every user is connected to every connector, users in
 * order: row 0 is (user 0, connector 0), row 1 (user 0, connector 1)…
 */
export function gridCell(index: number, connectorCount: number) {
  return { user: Math.floor(index / connectorCount), connector: index % connectorCount };
}
