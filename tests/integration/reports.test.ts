/**
 * Reports on real chDB and SQLite: a district's and a school's report, month by month, against
 * hand-computed values; the yearly Plan 83 report's figures against the district view the
 * district pages serve for the same period; its PDF (pdftotext) and DOCX (word/document.xml) hold
 * the national heading, the plan's sections, every district's name and the appendix's roll-out as
 * plan-83.json states it; requests refused before any query, scopes included.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay, parseDay, resolveRange } from '#shared/range';
import { CITY, type Scope } from '#shared/scope';
import { parseViewQuery } from '#shared/views';
import { districtView } from '#server/drill/district';
import { DayClock } from '#server/kpi/day-clock';
import { setLogLevel } from '#server/platform/log';
import { makeReport, type ReportFiles } from '#server/reports/engine';
import { rolloutRows } from '#server/reports/plan83';
import { parseReportRequest, type ReportSpec } from '#server/reports/request';
import { PLAN83 } from '#server/plan83/view';
import { openStore, type Store } from '#server/store/open';
import type { Alert } from '#shared/alerts';
import { fixtureDates } from '#harness/fixture-dates';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { fixtureEvents, testRegistry } from '#harness/events';

setLogLevel('warn');
const M = 60_000;
const clock = new DayClock(0);
const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
// the fixture's days, moved by whole weeks to the latest span before today (harness/fixture-dates.ts);
// the dates in the comments are the fixture's, as written (2 Nov is a Monday in either)
const { at, day } = fixtureDates('2026-10-20', '2026-11-02');
const now = Date.now();
/** the Plan 83 report's year: the fixture's (moved) */
const YEAR = day('2026-11-02').slice(0, 4);
const { roll, beat, comp } = fixtureEvents('report-test');

let fx: FixtureIngest;
let store: Store;
let dir: string;

const spec = (q: string, scope: Scope = CITY): ReportSpec => {
	const r = parseReportRequest(new URLSearchParams(q), {
		registry: fx.registry.registry,
		now,
		shiftMs: 0,
		scope
	});
	if (!r.ok) throw new Error(`${r.key} ${JSON.stringify(r.params)}`);
	return r.value;
};
const deps = () => ({ ch: fx.db.ch, clock, store, registry: fx.registry.registry });
/** the text of a PDF, as a reader's copy-paste would give it */
const pdfText = (pdf: Buffer, name: string) => {
	const f = path.join(dir, `${name}.pdf`);
	writeFileSync(f, pdf);
	// REPORTS_OUT=<folder> keeps the files to look at
	if (process.env.REPORTS_OUT)
		writeFileSync(path.join(process.env.REPORTS_OUT, `${name}.pdf`), pdf);
	return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' }).normalize('NFC');
};
/** the same, with every run of white space one space (table cells wrap over lines) */
const flat = (text: string) => text.replace(/\s+/g, ' ');
/** the text in reading order, cell by cell (a wrapped cell's lines stay together), flattened */
const pdfCells = (name: string) =>
	flat(
		execFileSync('pdftotext', [path.join(dir, `${name}.pdf`), '-'], { encoding: 'utf8' }).normalize(
			'NFC'
		)
	);
const docxXml = (docx: Buffer, name: string) => {
	const f = path.join(dir, `${name}.docx`);
	writeFileSync(f, docx);
	if (process.env.REPORTS_OUT)
		writeFileSync(path.join(process.env.REPORTS_OUT, `${name}.docx`), docx);
	return execFileSync('unzip', ['-p', f, 'word/document.xml'], {
		encoding: 'utf8',
		maxBuffer: 64 << 20
	}).normalize('NFC');
};
/** the texts of a DOCX's table rows, cell by cell */
const docxRows = (xml: string) =>
	[...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((tr) =>
		[...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((tc) =>
			[...tc[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join('')
		)
	);

const alert = (a: Partial<Alert> & Pick<Alert, 'id' | 'rule_id' | 'opened_at'>): Alert => ({
	school_id: '',
	district_id: '',
	state: 'firing',
	severity: 'watch',
	last_fired_at: a.opened_at,
	fired_count: 1,
	value: null,
	detail: '',
	acked_by: '',
	acked_at: 0,
	ack_note: '',
	resolved_at: 0,
	resolved_by: '',
	resolve_note: '',
	escalated_at: 0,
	detail_args: '',
	...a
});

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	await fx.db.ch.command({ query: 'SYSTEM STOP TTL MERGES' });
	dir = mkdtempSync(path.join(tmpdir(), 'edu-reports-'));
	store = await openStore({ dataDir: dir });
	const msgs = [
		roll(nk1, at(2026, 10, 27, 7, 30), 40, 40, 0), // the period before
		roll(cd1, at(2026, 10, 29, 7, 30), 35, 28, 2),
		roll(nk1, at(2026, 10, 30, 7, 30), 40, 36, 3),
		roll(nk2, at(2026, 10, 30, 7, 30), 30, 30, 0),
		roll(nk1, at(2026, 11, 2, 7, 30), 40, 38, 1),
		roll(nk2, at(2026, 11, 2, 7, 30), 30, 27, 2),
		comp(nk1, at(2026, 10, 29, 10), 'students', 1000, 900),
		comp(nk2, at(2026, 10, 30, 10), 'staff', 200, 150),
		comp(nk1, at(2026, 11, 2, 10), 'students', 1000, 950)
	];
	// Monday 2 Nov: nk1's four devices every minute 07:00–07:59
	for (let m = 0; m < 60; m++)
		for (let i = 0; i < 4; i++) msgs.push(beat(nk1, i, at(2026, 11, 2, 7) + m * M + 5000));
	await fx.submit(msgs);
	// alerts: at nk1 acknowledged in 20 min (attendance_low's target is 60 min), at nk2 escalated
	// and still open, at Cờ Đỏ (another district), and one before the period
	const rows: Alert[] = [
		alert({
			id: 'a1',
			rule_id: 'attendance_low',
			school_id: nk1.school_id,
			district_id: 'ninh-kieu',
			opened_at: at(2026, 10, 30, 9, 30),
			acked_at: at(2026, 10, 30, 9, 50),
			acked_by: 'op',
			resolved_at: at(2026, 10, 30, 11),
			state: 'resolved'
		}),
		alert({
			id: 'a2',
			rule_id: 'uptime_low',
			school_id: nk2.school_id,
			district_id: 'ninh-kieu',
			opened_at: at(2026, 11, 2, 8),
			escalated_at: at(2026, 11, 2, 8, 30),
			state: 'firing'
		}),
		alert({
			id: 'a3',
			rule_id: 'attendance_low',
			school_id: cd1.school_id,
			district_id: 'co-do',
			opened_at: at(2026, 10, 29, 9, 30)
		}),
		alert({
			id: 'a4',
			rule_id: 'attendance_low',
			school_id: nk1.school_id,
			district_id: 'ninh-kieu',
			opened_at: at(2026, 10, 20, 9, 30)
		})
	];
	await store.db.insertInto('alerts').values(rows).execute();
}, 120_000);

afterAll(async () => {
	await store?.close();
	await fx?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const RANGE = `from=${day('2026-10-29')}&to=${day('2026-11-02')}`;

/**
 * Ninh Kiều's attendance month by month over RANGE: [month, present / enrolled]. As written, the
 * range crosses into November between Friday 30 Oct (66 of 70) and Monday 2 Nov (65 of 70); moved,
 * those two days fall in different months only when a month begins on the Saturday, Sunday or
 * Monday between them, and are otherwise one month's (131 of 140).
 */
const MONTHS: [string, number | null][] = (() => {
	const by = new Map<string, [number, number]>();
	for (let d = parseDay(day('2026-10-29'))!; d <= parseDay(day('2026-11-02'))!; d++)
		by.set(formatDay(d).slice(0, 7), [0, 0]);
	for (const [d, a, b] of [
		['2026-10-30', 66, 70],
		['2026-11-02', 65, 70]
	] as const) {
		const m = by.get(day(d).slice(0, 7))!;
		m[0] += a;
		m[1] += b;
	}
	return [...by].map(([m, [a, b]]) => [m, b ? a / b : null]);
})();

describe('a district report, month by month', () => {
	let files: ReportFiles;
	beforeAll(async () => {
		files = await makeReport(deps(), spec(`kind=district&district=ninh-kieu&${RANGE}`), 'vi', now);
	}, 60_000);

	it('computes the hand-computed figures, month by month, against the period before', () => {
		const f = files.figures;
		expect(f.schools.map((s) => s.school_id)).toEqual(['t-nk-1', 't-nk-2']);
		expect(f.values.attendance).toBeCloseTo(131 / 140, 9);
		expect(f.values.completeness).toBeCloseTo(1100 / 1200, 9);
		expect(f.values.uptime).toBeCloseTo(240 / (8 * 465), 9);
		expect(f.prev?.attendance).toBe(1); // 27 Oct: 40 of 40
		expect(f.months.map((m) => [m.month, m.values.attendance])).toEqual(MONTHS);
		expect(f.school_rows.map((r) => [r.school_id, r.values.attendance])).toEqual([
			['t-nk-1', 74 / 80],
			['t-nk-2', 57 / 60]
		]);
		expect(f.reporting).toBe(2);
		// the district's alerts of the period only: a1 in time, a2 escalated and open
		expect(f.alerts).toMatchObject({
			fired: 2,
			acknowledged: 1,
			acked_within_target: 1,
			escalated: 1,
			resolved: 1,
			open_at_end: 1
		});
	});

	it('states them in its PDF and its DOCX', () => {
		const text = pdfText(files.pdf, 'district');
		expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
		expect(text).toContain('QUẬN NINH KIỀU');
		expect(text).toContain('93,6%'); // 131 / 140
		expect(text).toContain('-6,4 điểm'); // against 100 % the period before
		// each month's row (as written: T10/2026 94,3% and T11/2026 92,9%)
		for (const [m, v] of MONTHS) {
			const [y, mo] = m.split('-');
			expect(text).toContain(`T${Number(mo)}/${y}`);
			if (v !== null)
				expect(text).toContain(
					new Intl.NumberFormat('vi-VN', {
						style: 'percent',
						minimumFractionDigits: 1,
						maximumFractionDigits: 1
					}).format(v)
				);
		}
		expect(pdfCells('district')).toContain('Trường Tiểu học Thử Nghiệm 1');
		expect(pdfCells('district')).not.toContain('Cờ Đỏ Thử');
		const rows = docxRows(docxXml(files.docx, 'district'));
		expect(rows).toContainEqual(['Trường Tiểu học Thử Nghiệm 1', '92,5%', '12,9%', '—', '95,0%']);
		expect(rows).toContainEqual(['Trường Tiểu học Thử Nghiệm 2', '95,0%', '—', '—', '75,0%']);
	});
});

describe('a school report', () => {
	it('is the school alone, with the city beside it, but not for a reader scoped to it', async () => {
		const s = spec(`kind=school&school=t-nk-1&${RANGE}`);
		const files = await makeReport(deps(), s, 'en', now);
		expect(files.figures.values.attendance).toBeCloseTo(74 / 80, 9);
		expect(files.figures.values.uptime).toBeCloseTo(240 / (4 * 465), 9);
		expect(files.figures.city.attendance).toBeCloseTo(159 / 175, 9);
		expect(files.figures.alerts.fired).toBe(1);
		const text = pdfText(files.pdf, 'school');
		expect(text).toContain('92.5%');
		expect(text).toContain('90.9%'); // the city: 159 / 175
		expect(pdfCells('school')).toContain('Trường Tiểu học Thử Nghiệm 1');
		expect(pdfCells('school')).not.toContain('Thử Nghiệm 2');
		expect(pdfCells('school')).toContain('the whole city');
		const own = await makeReport(
			deps(),
			spec(`kind=school&school=t-nk-1&${RANGE}`, { kind: 'school', school: 't-nk-1' }),
			'en',
			now
		);
		const mine = pdfText(own.pdf, 'school-scoped');
		expect(mine).toContain('92.5%');
		expect(mine).not.toContain('90.9%');
		expect(pdfCells('school-scoped')).not.toContain('the whole city');
	});
});

describe('the yearly Plan 83 report', () => {
	let files: ReportFiles;
	let s: ReportSpec;
	beforeAll(async () => {
		s = spec(`kind=plan83&year=${YEAR}`);
		files = await makeReport(deps(), s, 'vi', now);
	}, 60_000);

	it('covers 1 January to today', () => {
		expect(s.range.query.from).toBe(`${YEAR}-01-01`);
		expect(s.schools).toHaveLength(3);
	});

	it("states each district's figures as the district pages give them for the same period", async () => {
		const view = parseViewQuery(
			new URLSearchParams(`from=${s.range.query.from}&to=${s.range.query.to}`)
		);
		if (!view.ok) throw new Error('view');
		const range = resolveRange(view.value.range, now);
		if (!range.ok) throw new Error('range');
		const text = pdfText(files.pdf, 'plan');
		for (const id of ['ninh-kieu', 'co-do']) {
			const d = (await districtView({
				ch: fx.db.ch,
				clock,
				registry: fx.registry.registry,
				now,
				districtId: id,
				range: range.value,
				view: view.value
			}))!;
			const mine = files.figures.districts.find((x) => x.id === id)!;
			for (const k of ['attendance', 'uptime', 'library', 'completeness'] as const) {
				if (d.values[k] === null) expect(mine.values[k]).toBeNull();
				else expect(mine.values[k]).toBeCloseTo(d.values[k]!, 9);
			}
			// and the document prints them
			const pct = (v: number) =>
				new Intl.NumberFormat('vi-VN', {
					style: 'percent',
					minimumFractionDigits: 1,
					maximumFractionDigits: 1
				}).format(v);
			expect(text).toContain(pct(d.values.attendance!));
		}
	});

	it('has the national heading, the plan sections and every district by name', () => {
		const text = pdfText(files.pdf, 'plan');
		expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
		expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
		expect(text).toContain('SỞ GIÁO DỤC VÀ ĐÀO TẠO');
		expect(text).toContain('BÁO CÁO');
		for (const h of [
			'Xây dựng Trung tâm Điều hành giáo dục thông minh',
			'Xây dựng phòng học tương tác thông minh và phòng học đa phương tiện',
			'Xây dựng hệ thống thư viện điện tử cho các trường phổ thông',
			'Nơi nhận:'
		])
			expect(flat(text)).toContain(h);
		for (const d of PLAN83.districts) expect(text).toContain(d.name);
		expect(files.pages).toBeGreaterThan(2);
		const pages = execFileSync('pdfinfo', [path.join(dir, 'plan.pdf')], { encoding: 'utf8' });
		expect(pages).toMatch(new RegExp(`Pages:\\s+${files.pages}\\b`));
	});

	it("copies the appendix's roll-out as plan-83.json states it, in the DOCX too", () => {
		const rows = docxRows(docxXml(files.docx, 'plan'));
		// from the JSON directly, not through the report's code
		const names = new Map(PLAN83.districts.map((d) => [d.id, d.name]));
		const level: Record<string, string> = {
			primary: 'Tiểu học',
			lower_secondary: 'THCS',
			upper_secondary: 'THPT'
		};
		const want: string[][] = [];
		for (const mm of PLAN83.multimedia_classrooms) {
			const sm = PLAN83.smart_interactive_classrooms.find((r) => r.year === mm.year)!;
			for (const l of ['primary', 'lower_secondary', 'upper_secondary'] as const)
				want.push([
					String(mm.year),
					mm.districts.map((d) => names.get(d)).join(', '),
					level[l],
					String(mm.schools[l]),
					String(mm.rooms_per_school[l]),
					String(sm.schools[l]),
					String(sm.rooms_per_school[l])
				]);
		}
		expect(want.length).toBe(rolloutRows(PLAN83).length);
		for (const w of want) expect(rows).toContainEqual(w);
		// and the e-library list by name
		for (const e of PLAN83.elibrary_rollout.slice(0, 5))
			expect(rows.some((r) => r[1] === e.name && r[0] === String(e.seq))).toBe(true);
	});
});

describe('requests', () => {
	const ask = (q: string, scope: Scope = CITY) =>
		parseReportRequest(new URLSearchParams(q), {
			registry: fx.registry.registry,
			now,
			shiftMs: 0,
			scope
		});

	it('refuses an unknown year, district or school, and a range past the retention', () => {
		expect(ask('kind=plan83&year=2019')).toMatchObject({
			ok: false,
			status: 400,
			key: 'report.error.year'
		});
		expect(ask('kind=plan83&year=abc')).toMatchObject({ ok: false, key: 'report.error.year' });
		expect(ask('kind=plan83&year=2023')).toMatchObject({
			ok: false,
			key: 'report.error.year_retention'
		});
		expect(ask('kind=district&district=nowhere&range=30d')).toMatchObject({
			ok: false,
			status: 404,
			key: 'report.error.district'
		});
		expect(ask('kind=school&school=nope&range=30d')).toMatchObject({ ok: false, status: 404 });
		expect(ask('kind=district&district=co-do&from=2024-01-01&to=2024-02-01')).toMatchObject({
			ok: false,
			key: 'range.error.retention'
		});
		expect(ask('kind=report')).toMatchObject({ ok: false, key: 'report.error.kind' });
	});

	it("answers an area outside the asker's scope as if it did not exist", () => {
		const nk: Scope = { kind: 'district', district: 'ninh-kieu' };
		const unknown = ask('kind=district&district=nowhere&range=30d', nk);
		const other = ask('kind=district&district=co-do&range=30d', nk);
		expect(other).toEqual({ ...unknown, params: { id: 'co-do' } });
		expect(ask('kind=school&school=t-cd-1&range=30d', nk)).toMatchObject({
			ok: false,
			status: 404
		});
		expect(ask('kind=plan83&year=2026', nk)).toMatchObject({
			ok: false,
			key: 'report.error.scope_city'
		});
		const own = ask('kind=plan83&year=2026&district=ninh-kieu', nk);
		expect(own.ok && own.value.schools.map((x) => x.school_id)).toEqual(['t-nk-1', 't-nk-2']);
		expect(own.ok && own.value.scoped).toBe(true);
		const school: Scope = { kind: 'school', school: 't-nk-2' };
		expect(ask('kind=district&district=ninh-kieu&range=30d', school)).toMatchObject({
			status: 404
		});
		expect(ask('kind=school&school=t-nk-2&range=30d', school).ok).toBe(true);
	});
});
