/**
 * The bench's one table: a row per comparison, the ratio ours ÷ reference, and whether the
 * target for that ratio (or size), given in docs/performance.md, holds.
 */

/** What a row's ratio or absolute value must be for its target to be met. */
export interface Target {
  /** The ratio ours ÷ reference must be at most this. */
  readonly max?: number;
  /** `ours` itself (in the row's unit) must be below this. */
  readonly below?: number;
}

export interface Row {
  readonly group: string;
  readonly name: string;
  readonly ours: number;
  readonly reference: number;
  readonly unit: 'ms' | 'kB' | 'KB' | 'MB';
  readonly target?: Target;
  /**
   * The lowest and highest ratio over repeated runs, when the row was repeated: its target is
   * met only when the whole spread meets it, so a verdict does not flip on noise.
   */
  readonly spread?: readonly [number, number];
}

function value(amount: number, unit: Row['unit']): string {
  if (!Number.isFinite(amount)) return 'n/a';
  if (unit === 'ms') {
    if (amount < 0.1) return `${(amount * 1000).toFixed(1)} µs`;
    return `${amount.toFixed(amount < 10 ? 3 : 1)} ms`;
  }
  return `${amount.toFixed(1)} ${unit}`;
}

function targetText(target: Target | undefined, unit: Row['unit']): string {
  if (target === undefined) return '—';
  const parts: string[] = [];
  if (target.max !== undefined) parts.push(`≤ ${target.max.toFixed(2)}`);
  if (target.below !== undefined) parts.push(`< ${value(target.below, unit)}`);
  return parts.join(', ');
}

/** Whether a row meets its target; `undefined` for a row without one. */
export function met(row: Row): boolean | undefined {
  const { target } = row;
  if (target === undefined) return undefined;
  const ratio = row.spread?.[1] ?? row.ours / row.reference;
  if (target.max !== undefined && !(ratio <= target.max)) return false;
  if (target.below !== undefined && !(row.ours < target.below)) return false;
  return true;
}

/** The table as Markdown, with the ratio ours ÷ reference (below 1: ours is faster or smaller). */
export function renderTable(rows: readonly Row[]): string {
  const header = ['#', 'measure', 'ours', 'reference', 'ratio', 'spread', 'target', 'met'];
  const lines = rows.map((row) => {
    const ok = met(row);
    return [
      row.group,
      row.name,
      value(row.ours, row.unit),
      value(row.reference, row.unit),
      Number.isFinite(row.ours / row.reference) ? (row.ours / row.reference).toFixed(2) : 'n/a',
      row.spread === undefined ? '' : `${row.spread[0].toFixed(2)}–${row.spread[1].toFixed(2)}`,
      targetText(row.target, row.unit),
      ok === undefined ? '' : ok ? 'yes' : 'no',
    ];
  });
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => (line[i] as string).length)),
  );
  const right = new Set([2, 3, 4, 5]);
  const format = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, i) =>
        right.has(i) ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number),
      )
      .join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right.has(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [format(header), rule, ...lines.map(format)].join('\n');
}
