// The shared CSV reader (../csv.ts) for this folder's parsers, which take text from any
// caller (tests, other readers) and so cannot rely on decodeText having run first:
// line endings are normalised here (nfl/teams.csv is old-Mac CR only), then rows are
// read into plain records keyed by header.
import { parseCsv } from '../csv.js';

export interface CsvRecord {
  /** 1-based physical line the row starts on (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export function readCsvRecords(text: string): { header: string[]; records: CsvRecord[] } {
  const table = parseCsv(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const records = table.rows.map((row) => {
    const values: Record<string, string> = {};
    for (const [name, i] of table.index) values[name] = row.cells[i] ?? '';
    return { line: row.line, values };
  });
  return { header: table.header, records };
}

/** The cell, or '' when the column is absent. */
export function cell(record: CsvRecord, column: string): string {
  return record.values[column] ?? '';
}
