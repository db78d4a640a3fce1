/**
 * Registry importer: schools from CSV or JSON, areas from GeoJSON (with boundaries) or JSON.
 * Everything is parsed and checked first; any bad row refuses the whole file with the line
 * number and the reason of every bad row, and nothing is written. Only a clean file is applied.
 */
import {
	areaSchema,
	schoolSchema,
	type Area,
	type Registry,
	type School
} from '../../../shared/registry';
import type { CH } from '../clickhouse/client';
import { applyRegistry, loadRegistry, type ImportMode } from './store';

export interface RowError {
	/** 1-based line in the file where the row starts */
	line: number;
	reason: string;
}

export class ImportError extends Error {
	override name = 'ImportError';
	constructor(
		readonly file: string,
		readonly errors: RowError[]
	) {
		super(
			`${file}: refused, nothing imported; ${errors.length} bad row(s):\n` +
				errors
					.slice(0, 50)
					.map((e) => `  line ${e.line}: ${e.reason}`)
					.join('\n')
		);
	}
}

/** RFC 4180 CSV with line numbers: returns records with the line each starts on. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
	const out: { line: number; cells: string[] }[] = [];
	let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	let line = 1;
	while (i < text.length) {
		const startLine = line;
		const cells: string[] = [];
		let cell = '';
		let quoted = false;
		for (; i < text.length; i++) {
			const c = text[i];
			if (quoted) {
				if (c === '"') {
					if (text[i + 1] === '"') {
						cell += '"';
						i++;
					} else quoted = false;
				} else {
					if (c === '\n') line++;
					cell += c;
				}
			} else if (c === '"' && cell === '') quoted = true;
			else if (c === ',') {
				cells.push(cell);
				cell = '';
			} else if (c === '\n' || c === '\r') {
				if (c === '\r' && text[i + 1] === '\n') i++;
				i++;
				line++;
				break;
			} else cell += c;
		}
		cells.push(cell);
		if (!(cells.length === 1 && cells[0].trim() === '')) out.push({ line: startLine, cells });
	}
	return out;
}

const NUMERIC = [
	'lat',
	'lon',
	'enrolment',
	'classrooms',
	'multimedia_rooms',
	'smart_rooms',
	'devices',
	'elibrary_year',
	'multimedia_year',
	'smart_year'
];
const BOOLEAN = ['elibrary', 'plan83', 'synthetic'];

function csvValue(col: string, raw: string): unknown {
	const v = raw.trim();
	if (col === 'levels') return v === '' ? [] : v.split(/[|;]/).map((s) => s.trim());
	if (NUMERIC.includes(col)) {
		if (v === '') return col.endsWith('_year') ? null : undefined;
		const n = Number(v.replace(',', '.'));
		return Number.isNaN(n) ? v : n;
	}
	if (BOOLEAN.includes(col)) {
		if (v === '') return undefined;
		if (/^(1|true|yes|có|co|x)$/i.test(v)) return true;
		if (/^(0|false|no|không|khong)$/i.test(v)) return false;
		return v;
	}
	return v;
}

function zodReason(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
	return err.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
}

/** Schools from CSV text; header names are the school fields; `levels` separated by | or ;. */
export function schoolsFromCsv(text: string): {
	schools: { line: number; school: School }[];
	errors: RowError[];
} {
	const records = parseCsv(text);
	const errors: RowError[] = [];
	const schools: { line: number; school: School }[] = [];
	if (records.length === 0) return { schools, errors: [{ line: 1, reason: 'empty file' }] };
	const header = records[0].cells.map((h) => h.trim());
	const known = new Set(Object.keys(schoolSchema.shape));
	for (const h of header)
		if (!known.has(h)) errors.push({ line: records[0].line, reason: `unknown column "${h}"` });
	if (errors.length) return { schools, errors };
	for (const rec of records.slice(1)) {
		if (rec.cells.length !== header.length) {
			errors.push({
				line: rec.line,
				reason: `has ${rec.cells.length} cells; the header has ${header.length}`
			});
			continue;
		}
		const obj: Record<string, unknown> = {};
		header.forEach((h, i) => {
			const v = csvValue(h, rec.cells[i]);
			if (v !== undefined) obj[h] = v;
		});
		const r = schoolSchema.safeParse(obj);
		if (r.success) schools.push({ line: rec.line, school: r.data });
		else errors.push({ line: rec.line, reason: zodReason(r.error) });
	}
	return { schools, errors };
}

/** Lines where each element of top-level arrays starts, per key: {"schools": [ {...} ]}, or a bare array under key "". */
export function jsonElementLines(text: string): Record<string, number[]> {
	const out: Record<string, number[]> = {};
	let depth = 0;
	let line = 1;
	let inString = false;
	let lastKey = '';
	let strStart = -1;
	let topIsArray = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '\n') line++;
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') {
				inString = false;
				if (depth === 1 && !topIsArray) lastKey = text.slice(strStart + 1, i);
			}
			continue;
		}
		if (c === '"') {
			inString = true;
			strStart = i;
		} else if (c === '{' || c === '[') {
			if (depth === 0) topIsArray = c === '[';
			const arrayDepth = topIsArray ? 1 : 2;
			if (depth === arrayDepth && c === '{') (out[topIsArray ? '' : lastKey] ??= []).push(line);
			depth++;
		} else if (c === '}' || c === ']') depth--;
	}
	return out;
}

function fromJsonArray<T>(
	items: unknown,
	lines: number[] | undefined,
	label: string,
	parse: (
		v: unknown
	) =>
		| { success: true; data: T }
		| { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }
): { ok: { line: number; value: T }[]; errors: RowError[] } {
	const ok: { line: number; value: T }[] = [];
	const errors: RowError[] = [];
	if (!Array.isArray(items))
		return { ok, errors: [{ line: 1, reason: `"${label}" must be an array` }] };
	items.forEach((v, i) => {
		const line = lines?.[i] ?? 1;
		const r = parse(v);
		if (r.success) ok.push({ line, value: r.data });
		else errors.push({ line, reason: `${label}[${i}]: ${zodReason(r.error)}` });
	});
	return { ok, errors };
}

/** Parse a registry file: `.csv` (schools), `.geojson` (areas with boundaries) or `.json` ({areas?, schools?} or an array of schools). */
export function parseRegistryFile(
	name: string,
	text: string
): {
	areas: { line: number; value: Area }[];
	schools: { line: number; value: School }[];
	errors: RowError[];
} {
	if (text.includes('\uFFFD'))
		return { areas: [], schools: [], errors: [{ line: 1, reason: 'not valid UTF-8' }] };
	if (name.toLowerCase().endsWith('.csv')) {
		const r = schoolsFromCsv(text);
		return {
			areas: [],
			schools: r.schools.map((s) => ({ line: s.line, value: s.school })),
			errors: r.errors
		};
	}
	let doc: unknown;
	try {
		doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch (e) {
		return {
			areas: [],
			schools: [],
			errors: [{ line: 1, reason: `not JSON: ${(e as Error).message}` }]
		};
	}
	const lines = jsonElementLines(text);
	if (doc && typeof doc === 'object' && (doc as { type?: unknown }).type === 'FeatureCollection') {
		const features = (doc as { features?: unknown }).features;
		const r = fromJsonArray(features, lines.features, 'features', (f) => {
			const feat = f as { properties?: Record<string, unknown>; geometry?: unknown };
			return areaSchema.safeParse({
				...(feat?.properties ?? {}),
				geometry: feat?.geometry ?? null
			});
		});
		return { areas: r.ok, schools: [], errors: r.errors };
	}
	if (Array.isArray(doc)) {
		const r = fromJsonArray(doc, lines[''], 'schools', (v) => schoolSchema.safeParse(v));
		return { areas: [], schools: r.ok, errors: r.errors };
	}
	if (doc && typeof doc === 'object') {
		const d = doc as { areas?: unknown; schools?: unknown };
		const unknownKeys = Object.keys(d).filter((k) => k !== 'areas' && k !== 'schools');
		if (unknownKeys.length)
			return {
				areas: [],
				schools: [],
				errors: [
					{
						line: 1,
						reason: `unknown key(s) ${unknownKeys.join(', ')}; expected "areas" and/or "schools"`
					}
				]
			};
		const a =
			d.areas === undefined
				? { ok: [], errors: [] }
				: fromJsonArray(d.areas, lines.areas, 'areas', (v) => areaSchema.safeParse(v));
		const s =
			d.schools === undefined
				? { ok: [], errors: [] }
				: fromJsonArray(d.schools, lines.schools, 'schools', (v) => schoolSchema.safeParse(v));
		return { areas: a.ok, schools: s.ok, errors: [...a.errors, ...s.errors] };
	}
	return {
		areas: [],
		schools: [],
		errors: [
			{
				line: 1,
				reason: 'expected a JSON object, an array of schools or a GeoJSON FeatureCollection'
			}
		]
	};
}

/** Cross-row checks: duplicate ids, parents and areas that exist (in the file or the registry). */
export function checkReferences(
	parsed: { areas: { line: number; value: Area }[]; schools: { line: number; value: School }[] },
	existing: Registry
): RowError[] {
	const errors: RowError[] = [];
	const areaIds = new Set(existing.areas.map((a) => a.area_id));
	const seenAreas = new Map<string, number>();
	for (const { line, value } of parsed.areas) {
		const prev = seenAreas.get(value.area_id);
		if (prev) errors.push({ line, reason: `area_id "${value.area_id}" repeats line ${prev}` });
		seenAreas.set(value.area_id, line);
		areaIds.add(value.area_id);
	}
	for (const { line, value } of parsed.areas)
		if (value.parent_id !== null && !areaIds.has(value.parent_id))
			errors.push({ line, reason: `parent_id "${value.parent_id}" is not a known area` });
	const seenSchools = new Map<string, number>();
	for (const { line, value } of parsed.schools) {
		const prev = seenSchools.get(value.school_id);
		if (prev) errors.push({ line, reason: `school_id "${value.school_id}" repeats line ${prev}` });
		seenSchools.set(value.school_id, line);
		if (!areaIds.has(value.area_id))
			errors.push({ line, reason: `area_id "${value.area_id}" is not a known area` });
	}
	return errors.sort((a, b) => a.line - b.line);
}

/**
 * Import files (areas and/or schools) as one change: all are checked before anything is
 * written; any error refuses everything with an ImportError listing the lines.
 */
export async function importRegistry(
	ch: CH,
	files: { name: string; text: string }[],
	mode: ImportMode = 'upsert'
): Promise<{ importId: string; areas: number; schools: number; retired: number }> {
	const parsed = files.map((f) => ({ name: f.name, ...parseRegistryFile(f.name, f.text) }));
	for (const p of parsed) if (p.errors.length) throw new ImportError(p.name, p.errors);
	const existing = await loadRegistry(ch);
	// areas of every file count, so a schools file may refer to areas of a boundaries file beside it
	const allAreas = [...existing.areas, ...parsed.flatMap((p) => p.areas.map((a) => a.value))];
	for (const p of parsed) {
		const refs = checkReferences(p, {
			areas: allAreas.filter((a) => !p.areas.some((x) => x.value.area_id === a.area_id)),
			schools: []
		});
		if (refs.length) throw new ImportError(p.name, refs);
	}
	const areas = parsed.flatMap((p) => p.areas.map((a) => a.value));
	const schools = parsed.flatMap((p) => p.schools.map((s) => s.value));
	return applyRegistry(
		ch,
		{ areas, schools },
		{ source: `import:${files.map((f) => f.name).join(', ')}`, mode }
	);
}
