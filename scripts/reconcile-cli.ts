/** `npm run reconcile`'s arguments (checked before any storage is opened) and its printed report. */
import { parseArgs } from 'node:util';
import { localDay } from '#shared/calendar';
import { parseDay } from '#shared/range';
import {
	DIFFERENCE_LIMIT,
	type Difference,
	type ReconcileResult
} from '#server/platform/clickhouse/reconcile';

export const USAGE =
	'usage: npm run reconcile -- --from YYYY-MM-DD --to YYYY-MM-DD [--repair] [--table <name>]… [--limit N] [--json]';

export interface ReconcileArgs {
	from: string;
	to: string;
	repair: boolean;
	/** only these tables; undefined: all */
	tables?: string[];
	/** differing buckets printed at most */
	limit: number;
	json: boolean;
}

export type ParsedArgs = { ok: true; value: ReconcileArgs } | { ok: false; message: string };

/** Parse and check the command line (`argv` without node and the script); `tables`: the names a --table may take. */
export function parseReconcileArgs(
	argv: string[],
	tables: readonly string[],
	now = Date.now()
): ParsedArgs {
	let v;
	try {
		v = parseArgs({
			args: argv,
			options: {
				from: { type: 'string' },
				to: { type: 'string' },
				repair: { type: 'boolean', default: false },
				table: { type: 'string', multiple: true },
				limit: { type: 'string', default: '50' },
				json: { type: 'boolean', default: false }
			},
			strict: true,
			allowPositionals: false
		}).values;
	} catch (e) {
		return { ok: false, message: (e as Error).message };
	}
	const day = (name: 'from' | 'to') => {
		const s = v[name];
		if (s === undefined) return `--${name} is needed (a Vietnam day, YYYY-MM-DD)`;
		const d = parseDay(s);
		return d === null ? `--${name} must be a date YYYY-MM-DD, not "${s}"` : d;
	};
	const from = day('from');
	if (typeof from === 'string') return { ok: false, message: from };
	const to = day('to');
	if (typeof to === 'string') return { ok: false, message: to };
	if (to < from) return { ok: false, message: `--to (${v.to}) is before --from (${v.from})` };
	if (to > localDay(now))
		return { ok: false, message: `--to (${v.to}) is after today: no events are there yet` };
	const unknown = (v.table ?? []).filter((t) => !tables.includes(t));
	if (unknown.length)
		return {
			ok: false,
			message: `--table ${unknown.join(', ')}: not a reconciled table (${tables.join(', ')})`
		};
	const limit = Number(v.limit);
	if (!Number.isInteger(limit) || limit < 0)
		return { ok: false, message: `--limit must be a whole number ≥ 0, not "${v.limit}"` };
	return {
		ok: true,
		value: {
			from: v.from!,
			to: v.to!,
			repair: v.repair,
			...(v.table?.length ? { tables: [...new Set(v.table)] } : {}),
			limit,
			json: v.json
		}
	};
}

const n = (x: number) => x.toLocaleString('en');

/** The result as text: a line per table, then the differing buckets (at most `limit`). */
export function report(r: ReconcileResult, limit: number): string {
	const out: string[] = [
		`reconcile ${r.from} … ${r.to}${r.repair ? ' (repair)' : ''}: ${n(r.checked)} buckets compared, ${n(r.differing)} differing` +
			(r.repair ? `, ${n(r.repaired)} rebuilt, ${n(r.remaining)} still differing` : '')
	];
	const w = Math.max(...r.tables.map((t) => t.table.length));
	for (const t of r.tables) {
		const days = t.from ? `${t.from} … ${t.to}` : 'no day to compare'.padEnd(23);
		out.push(
			`  ${t.table.padEnd(w)}  ${days}  ${n(t.checked).padStart(9)} compared  ${n(t.differing).padStart(6)} differing` +
				(r.repair ? `  ${n(t.repaired).padStart(6)} rebuilt  ${n(t.remaining)} left` : '') +
				`  ${(t.ms / 1000).toFixed(1)} s${t.note ? `  (${t.note})` : ''}`
		);
	}
	const buckets = new Map<string, Difference[]>();
	for (const d of r.differences) {
		const k = `${d.table} ${d.school_id ?? ''} ${d.bucket}${d.key ? ` ${d.key}` : ''}`;
		buckets.set(k, [...(buckets.get(k) ?? []), d]);
	}
	if (buckets.size && limit > 0) {
		out.push('differences (raw → rollup; ∅: no row):');
		for (const [k, ds] of [...buckets].slice(0, limit))
			out.push(
				`  ${k.replace(/ {2,}/g, ' ')}: ${ds.map((d) => `${d.field} ${d.raw ?? '∅'} → ${d.rollup ?? '∅'}`).join(', ')}`
			);
		if (buckets.size > limit || r.differing > buckets.size)
			out.push(
				`  … ${n(r.differing)} differing buckets in all; --json lists the first ${DIFFERENCE_LIMIT} of each table`
			);
	}
	return out.join('\n');
}
