// Strict readers for cells of real files: a value is either exactly what the column
// promises or it is reported, never coerced (Number('') is 0, parseInt('3x') is 3).

/** Non-negative or negative whole number written plainly ("12", "-3"); null otherwise. */
export function parseWholeNumber(text: string): number | null {
  const t = text.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : null;
}

/** Decimal number written plainly ("189.5", "-3", ".5"); null otherwise. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : null;
}

/** "True"/"False" in any case (FPL, NBA, NFL write them differently); null otherwise. */
export function parseBoolean(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return null;
}

/** Whether YYYY-MM-DD names a real calendar day. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** US m/d/yyyy → YYYY-MM-DD, or null when it is not a real day. */
export function usDateToIso(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : null;
}

/** Split-year season name from the year it ends: 2008 → "2007-08", 2000 → "1999-00". */
export function splitSeasonName(endYear: number): string {
  return `${endYear - 1}-${String(endYear % 100).padStart(2, '0')}`;
}
