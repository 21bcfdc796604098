// CSV text → rows with the physical line each starts on, so a rejection names the line a user
// can open in an editor. Expects text from decodeText (LF line endings). Real files end with
// blank lines or rows of only commas (spreadsheet exports), have headers with trailing empty
// columns and rows shorter or longer than the header; all of that is tolerated.
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** 1-based physical line where the row starts (the header is line 1). */
  line: number;
  /** Cell text, trimmed (including non-breaking spaces, which old files put before names). */
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
  /** Header name → column index (first occurrence wins; empty names are skipped). */
  index: Map<string, number>;
}

interface Parsed {
  record: string[];
  info: { lines: number };
}

export function parseCsv(text: string): CsvTable {
  const records = parse(text, {
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    bom: true,
  }) as unknown as Parsed[];
  const rows: CsvRow[] = [];
  let header: string[] = [];
  for (const [i, { record, info }] of records.entries()) {
    // info.lines is the line the record ends on; quoted newlines move the start back.
    let inner = 0;
    for (const cell of record) for (let k = cell.indexOf('\n'); k !== -1; k = cell.indexOf('\n', k + 1)) inner++;
    const cells = record.map((c) => c.trim());
    if (i === 0) {
      header = cells;
      continue;
    }
    if (cells.every((c) => c === '')) continue;
    rows.push({ line: info.lines - inner, cells });
  }
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (name !== '' && !index.has(name)) index.set(name, i);
  });
  return { header, rows, index };
}

/** A cell by column name; '' when the column is absent or the row is short. */
export function cellOf(table: CsvTable, row: CsvRow, column: string): string {
  const i = table.index.get(column);
  return i === undefined ? '' : (row.cells[i] ?? '');
}
