/**
 * The registry in ClickHouse. Writes are versioned rows plus a commit marker in
 * `registry_imports`; reads take, per id, the newest row of a committed import. So an import
 * either shows whole or not at all, and the 2025 reorganisation is an import of new areas
 * (`mode: 'replace'` retires what the new file no longer lists), not a code change.
 */
import { randomUUID } from 'node:crypto';
import type { Area, Registry, School } from '../../../shared/registry';
import { rows, type CH } from '../clickhouse/client';

export type ImportMode = 'replace' | 'upsert';

interface AreaRow extends Omit<Area, 'geometry'> {
	geometry: string;
	active: boolean;
	import_id: string;
	version: string;
}
interface SchoolRow extends School {
	active: boolean;
	import_id: string;
	version: string;
}

let lastVersion = 0;
/** Monotonic versions (µs since epoch), unique within a process. */
function nextVersion(): number {
	const v = Math.max(Date.now() * 1000, lastVersion + 1);
	lastVersion = v;
	return v;
}

function areaToRow(a: Area, active: boolean, importId: string, version: number) {
	return {
		...a,
		geometry: a.geometry ? JSON.stringify(a.geometry) : '',
		active,
		import_id: importId,
		version
	};
}
function schoolToRow(s: School, active: boolean, importId: string, version: number) {
	return { ...s, active, import_id: importId, version };
}

const COMMITTED = 'import_id IN (SELECT import_id FROM registry_imports)';

/** The current registry: active areas and schools of committed imports. */
/** Newest committed row per id, active only. */
function latestSql(table: 'areas' | 'schools', key: 'area_id' | 'school_id'): string {
	return `SELECT * EXCEPT (rn) FROM (
		SELECT *, row_number() OVER (PARTITION BY ${key} ORDER BY version DESC) AS rn
		FROM ${table} WHERE ${COMMITTED}
	) WHERE rn = 1 AND active ORDER BY ${key}`;
}

/** The current registry: active areas and schools of committed imports. */
export async function loadRegistry(ch: CH): Promise<Registry> {
	const areaRows = await rows<AreaRow>(ch, latestSql('areas', 'area_id'));
	const schoolRows = await rows<SchoolRow>(ch, latestSql('schools', 'school_id'));
	const areas: Area[] = areaRows.map((r) => ({
		area_id: r.area_id,
		parent_id: r.parent_id,
		level: r.level,
		name: r.name,
		name_en: r.name_en,
		kind: r.kind,
		code: r.code,
		geometry: r.geometry ? JSON.parse(r.geometry) : null
	}));
	const num = (v: unknown) => (v === null ? null : Number(v));
	const schools: School[] = schoolRows.map((r) => ({
		school_id: r.school_id,
		name: r.name,
		area_id: r.area_id,
		ward: r.ward,
		levels: r.levels,
		lat: Number(r.lat),
		lon: Number(r.lon),
		enrolment: Number(r.enrolment),
		classrooms: Number(r.classrooms),
		multimedia_rooms: Number(r.multimedia_rooms),
		smart_rooms: Number(r.smart_rooms),
		devices: Number(r.devices),
		elibrary: Boolean(r.elibrary),
		elibrary_year: num(r.elibrary_year),
		multimedia_year: num(r.multimedia_year),
		smart_year: num(r.smart_year),
		plan83: Boolean(r.plan83),
		synthetic: Boolean(r.synthetic)
	}));
	return { areas, schools };
}

/** Number of active schools; cheap enough for /api/health. */
export async function countSchools(ch: CH): Promise<number> {
	const r = await rows<{ n: string }>(
		ch,
		`SELECT count() AS n FROM (SELECT school_id, argMax(active, version) AS a FROM schools WHERE ${COMMITTED} GROUP BY school_id) WHERE a`
	);
	return Number(r[0]?.n ?? 0);
}

/**
 * Write a validated registry. Rows first, commit marker last: until the marker is in,
 * readers do not see the rows, so a failure half-way leaves the registry as it was.
 * With `replace`, areas and schools absent from `reg` are retired (written inactive).
 */
export async function applyRegistry(
	ch: CH,
	reg: Registry,
	opts: { source: string; mode: ImportMode; importId?: string }
): Promise<{ importId: string; areas: number; schools: number; retired: number }> {
	const importId = opts.importId ?? randomUUID();
	const version = nextVersion();
	const areaRows = reg.areas.map((a) => areaToRow(a, true, importId, version));
	const schoolRows = reg.schools.map((s) => schoolToRow(s, true, importId, version));
	let retired = 0;
	if (opts.mode === 'replace') {
		const current = await loadRegistry(ch);
		const keepAreas = new Set(reg.areas.map((a) => a.area_id));
		const keepSchools = new Set(reg.schools.map((s) => s.school_id));
		for (const a of current.areas)
			if (!keepAreas.has(a.area_id)) {
				areaRows.push(areaToRow(a, false, importId, version));
				retired++;
			}
		for (const s of current.schools)
			if (!keepSchools.has(s.school_id)) {
				schoolRows.push(schoolToRow(s, false, importId, version));
				retired++;
			}
	}
	if (areaRows.length) await ch.insert({ table: 'areas', values: areaRows, format: 'JSONEachRow' });
	if (schoolRows.length)
		await ch.insert({ table: 'schools', values: schoolRows, format: 'JSONEachRow' });
	await ch.insert({
		table: 'registry_imports',
		values: [
			{
				import_id: importId,
				source: opts.source.slice(0, 500),
				mode: opts.mode,
				areas: reg.areas.length,
				schools: reg.schools.length,
				committed_at: new Date().toISOString()
			}
		],
		format: 'JSONEachRow'
	});
	return { importId, areas: reg.areas.length, schools: reg.schools.length, retired };
}
