/** One bulk insert into a Latchkey database, in one transaction, committed by `finish`. */
export interface RowSink {
  /** Inserts `rowCount` rows, row `i` being `rowAt(i)`, in multi-row statements. */
  insertRows(
    table: string,
    columns: readonly string[],
    rowCount: number,
    rowAt: (index: number) => unknown[],
  ): Promise<void>;
  /** Commits, then leaves the database ready to read (checkpoint, statistics). */
  finish(): Promise<void>;
}
