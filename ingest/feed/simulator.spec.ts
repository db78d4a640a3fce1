import { describe, expect, it } from 'vitest';
import {
	validateMessage,
	DATASETS,
	type EduEventInput,
	type TelemetryKind
} from '#shared/contract';
import {
	civil,
	dayOf,
	dayStartMs,
	isSchoolDay,
	localMinute,
	localMs,
	schoolHours
} from '#shared/calendar';
import { lookupOf, syntheticRegistry } from './fixtures';
import {
	eventsBetween,
	schoolTraits,
	weatherOf,
	type SimEvent,
	type SimRegistry
} from './simulator';

const registry = syntheticRegistry(45);
const seed = 83;
const day = (y: number, m: number, d: number): [number, number] => [
	localMs(y, m, d),
	localMs(y, m, d + 1)
];
const all = (from: number, to: number, reg: SimRegistry = registry, kinds?: TelemetryKind[]) => [
	...eventsBetween(reg, from, to, { seed, kinds })
];
const of = <K extends EduEventInput['kind']>(events: SimEvent[], kind: K) =>
	events
		.map((e) => e.event)
		.filter((e): e is Extract<EduEventInput, { kind: K }> => e.kind === kind);
const hhmm = (e: EduEventInput) => e.ts.slice(11, 16);

// Thursday 15 October 2026: a school day in the rainy season
const [thuFrom, thuTo] = day(2026, 10, 15);
const thursday = all(thuFrom, thuTo);

describe('eventsBetween: determinism', () => {
	it('yields the same events for the same window', () => {
		const from = localMs(2026, 10, 15, 8);
		const to = localMs(2026, 10, 15, 9);
		expect(JSON.stringify(all(from, to))).toBe(JSON.stringify(all(from, to)));
		expect(JSON.stringify(all(from, to))).not.toBe(
			JSON.stringify([...eventsBetween(registry, from, to, { seed: seed + 1 })])
		);
	});

	it('yields identical duplicates for overlapping windows, and splits cleanly', () => {
		const a = localMs(2026, 10, 15, 7, 10);
		const b = localMs(2026, 10, 15, 7, 40) + 17_500; // mid-minute
		const c = localMs(2026, 10, 15, 8, 10);
		const whole = all(a, c);
		expect(JSON.stringify([...all(a, b), ...all(b, c)])).toBe(JSON.stringify(whole));
		const first = new Map(
			all(a, localMs(2026, 10, 15, 7, 50)).map((e) => [e.event.event_id, JSON.stringify(e)])
		);
		const second = all(localMs(2026, 10, 15, 7, 30), c);
		const overlap = second.filter((e) => first.has(e.event.event_id));
		expect(overlap.length).toBeGreaterThan(1000);
		for (const e of overlap) expect(JSON.stringify(e)).toBe(first.get(e.event.event_id));
		const inOverlap = second.filter((e) => Date.parse(e.event.ts) < localMs(2026, 10, 15, 7, 50));
		expect(inOverlap.length).toBe(overlap.length);
	});

	it('gives every event a unique id and keeps time order', () => {
		expect(new Set(thursday.map((e) => e.event.event_id)).size).toBe(thursday.length);
		const ts = thursday.map((e) => Date.parse(e.event.ts));
		expect(ts.findIndex((t, i) => i > 0 && t < ts[i - 1])).toBe(-1);
		expect(ts[0]).toBeGreaterThanOrEqual(thuFrom);
		expect(ts[ts.length - 1]).toBeLessThan(thuTo);
	});
});

describe('eventsBetween: contract', () => {
	it('produces only events that pass validation against the registry', () => {
		const lookup = lookupOf(registry);
		const enc = new TextEncoder();
		const kinds = new Set<string>();
		for (const { subject, event } of thursday) {
			const r = validateMessage(subject, enc.encode(JSON.stringify(event)), lookup, { now: thuTo });
			if (!r.ok) expect.fail(`${event.event_id}: ${r.reason} ${r.detail}`);
			kinds.add(event.kind);
			expect(event.event_id.length).toBeLessThanOrEqual(80);
		}
		expect(kinds).toEqual(new Set(['attendance', 'device', 'library', 'completeness']));
		const changes = of(thursday, 'device').filter((e) => e.payload.event === 'change');
		expect(changes.length).toBeGreaterThan(0);
		// a school day of the whole city is ~100k events, each validated: seconds on a busy 2-core machine
	}, 30_000);

	it('filters by kind', () => {
		const only = all(thuFrom, thuTo, registry, ['library']);
		expect(only.length).toBe(of(thursday, 'library').length);
		expect(only.every((e) => e.subject.startsWith('edu.v1.library.'))).toBe(true);
	});
});

describe('eventsBetween: attendance', () => {
	const att = of(thursday, 'attendance');

	it('reports each class once per session, at roll call only', () => {
		expect(att.length).toBeGreaterThan(500);
		for (const e of att) {
			const t = hhmm(e);
			if (e.payload.session === 'afternoon') expect(t >= '13:30' && t < '14:00').toBe(true);
			else expect(t >= '07:00' && t < '08:00').toBe(true);
			expect(e.payload.present + e.payload.absent_excused + e.payload.absent_unexcused).toBe(
				e.payload.enrolled
			);
		}
		const keys = att.map((e) => `${e.school_id}/${e.payload.class}/${e.payload.session}`);
		expect(new Set(keys).size).toBe(keys.length);
		// primary reports both sessions, preschool a full day, secondary mostly mornings
		const levelsOf = new Map(registry.schools.map((s) => [s.school_id, s.levels.join('+')]));
		const sessions = (lvl: string) =>
			new Set(att.filter((e) => levelsOf.get(e.school_id) === lvl).map((e) => e.payload.session));
		expect(sessions('primary')).toEqual(new Set(['morning', 'afternoon']));
		expect(sessions('preschool')).toEqual(new Set(['full_day']));
		expect(sessions('upper_secondary').has('morning')).toBe(true);
	});

	it('is about 96 % in the city and lower in the countryside; excused outnumber unexcused', () => {
		const rate = (pred: (district: string) => boolean, events: typeof att) => {
			const district = new Map(registry.schools.map((s) => [s.school_id, s.area_id]));
			const sel = events.filter((e) => pred(district.get(e.school_id)!));
			return (
				sel.reduce((n, e) => n + e.payload.present, 0) /
				sel.reduce((n, e) => n + e.payload.enrolled, 0)
			);
		};
		// a dry day (January) shows the base rates
		const jan = of(all(...day(2027, 1, 14), registry, ['attendance']), 'attendance');
		const urban = rate((d) => d === 'ninh-kieu' || d === 'cai-rang' || d === 'binh-thuy', jan);
		const rural = rate((d) => d === 'co-do' || d === 'vinh-thanh' || d === 'thoi-lai', jan);
		expect(urban).toBeGreaterThan(0.94);
		expect(urban).toBeLessThan(0.98);
		expect(rural).toBeGreaterThan(0.9);
		expect(rural).toBeLessThan(urban);
		const exc = jan.reduce((n, e) => n + e.payload.absent_excused, 0);
		const unexc = jan.reduce((n, e) => n + e.payload.absent_unexcused, 0);
		expect(exc / (exc + unexc)).toBeGreaterThan(0.5);
		expect(exc / (exc + unexc)).toBeLessThan(0.7);
	});

	it('dips in rural schools on a rainy day', () => {
		const rural = registry.schools.filter(
			(s) => schoolTraits(s, { seed, areas: registry.areas }).rural
		);
		const district = rural[0].area_id;
		const schools = { schools: registry.schools.filter((s) => s.area_id === district) };
		let rainy: number | undefined;
		let dry: number | undefined;
		for (
			let d = dayOf(2026, 10, 1);
			d <= dayOf(2026, 10, 31) && (rainy === undefined || dry === undefined);
			d++
		) {
			if (civil(d).weekday === 0 || civil(d).weekday === 6 || !isSchoolDay({ day: d }, 'primary'))
				continue;
			const w = weatherOf(district, { day: d }, { seed });
			if (w.rainy && w.intensity > 0.4) rainy ??= d;
			if (!w.rainy) dry ??= d;
		}
		expect(rainy).toBeDefined();
		expect(dry).toBeDefined();
		const rate = (d: number) => {
			const a = of(all(dayStartMs(d), dayStartMs(d + 1), schools, ['attendance']), 'attendance');
			return (
				a.reduce((n, e) => n + e.payload.present, 0) / a.reduce((n, e) => n + e.payload.enrolled, 0)
			);
		};
		expect(rate(rainy!)).toBeLessThan(rate(dry!) - 0.02);
	});

	it('is silent on Sundays, during Tết and in the summer, but data still syncs', () => {
		for (const [from, to] of [day(2026, 10, 18), day(2026, 2, 19), day(2026, 7, 15)]) {
			const events = all(from, to);
			expect(events.filter((e) => e.event.kind !== 'completeness')).toEqual([]);
			expect(of(events, 'completeness').length).toBeGreaterThanOrEqual(
				registry.schools.length * DATASETS.length
			);
		}
	});
});

describe('eventsBetween: devices', () => {
	const hb = of(thursday, 'device').filter((e) => e.payload.event === 'heartbeat');
	const minutesOf = (schoolId: string) => {
		const perMinute = new Map<string, number>();
		for (const e of hb)
			if (e.school_id === schoolId) perMinute.set(hhmm(e), (perMinute.get(hhmm(e)) ?? 0) + 1);
		return perMinute;
	};

	it('sends a heartbeat per device per minute of school hours, and nothing outside them', () => {
		const hoursOf = new Map(
			registry.schools.map((s) => [s.school_id, schoolHours(thuFrom, s.levels)])
		);
		const outside = hb.filter((e) => {
			const m = localMinute(Date.parse(e.ts));
			return !hoursOf.get(e.school_id)!.some(([a, b]) => m >= a && m < b);
		});
		expect(outside).toEqual([]);
		// preschools run all day, the others break for lunch
		const noon = new Set(hb.filter((e) => hhmm(e) === '12:00').map((e) => e.school_id));
		expect(noon.size).toBeGreaterThan(0);
		for (const id of noon)
			expect(registry.schools.find((s) => s.school_id === id)!.levels).toContain('preschool');
		const steady = registry.schools.find(
			(s) =>
				s.devices >= 4 &&
				s.levels.join() === 'primary' &&
				!schoolTraits(s, { seed, areas: registry.areas }).flaky &&
				!schoolTraits(s, { seed, areas: registry.areas }).rural
		)!;
		const perMinute = minutesOf(steady.school_id);
		expect(perMinute.size).toBe(255 + 210);
		const counts = [...perMinute.values()];
		expect(counts.reduce((a, b) => a + b, 0) / counts.length).toBeGreaterThan(
			steady.devices * 0.98
		);
		expect(Math.max(...counts)).toBe(steady.devices);
	});

	it('shows gaps for a flaky school: outages send nothing', () => {
		const big = syntheticRegistry(200);
		const flaky = big.schools.filter(
			(s) => s.devices > 0 && schoolTraits(s, { seed, areas: big.areas }).flaky
		);
		expect(flaky.length).toBeGreaterThan(2);
		let gaps = 0;
		for (let d = 12; d <= 16; d++) {
			const events = of(all(...day(2026, 10, d), { schools: flaky }, ['device']), 'device');
			for (const s of flaky) {
				const minutes = new Set(
					events
						.filter((e) => e.school_id === s.school_id && e.payload.event === 'heartbeat')
						.map(hhmm)
				);
				gaps += 465 - minutes.size;
			}
			// every outage ends with devices announcing they are back, with the reason
			const ups = events.filter((e) => e.payload.event === 'change' && e.payload.status === 'up');
			for (const e of ups) expect(['power', 'network']).toContain(e.payload.reason);
		}
		expect(gaps).toBeGreaterThan(30);
	});

	it('reports a broken device as down with a hardware reason', () => {
		const big = syntheticRegistry(200);
		const events = of(all(...day(2026, 10, 15), big, ['device']), 'device');
		const down = events.filter(
			(e) => e.payload.event === 'heartbeat' && e.payload.status === 'down'
		);
		expect(down.length).toBeGreaterThan(0);
		expect(down.every((e) => e.payload.reason === 'hardware')).toBe(true);
	});
});

describe('eventsBetween: library', () => {
	it('counts in 15-minute windows, busiest at the morning break', () => {
		const lib = of(thursday, 'library');
		expect(lib.length).toBeGreaterThan(100);
		const elib = new Set(registry.schools.filter((s) => s.elibrary).map((s) => s.school_id));
		for (const e of lib) {
			expect(elib.has(e.school_id)).toBe(true);
			expect(e.payload.period_s).toBe(900);
			expect(
				e.payload.loans + e.payload.returns + e.payload.ebook_opens + e.payload.visits
			).toBeGreaterThan(0);
		}
		const visits = (t: string) =>
			lib.filter((e) => hhmm(e) === t).reduce((n, e) => n + e.payload.visits, 0);
		expect(visits('09:14')).toBeGreaterThan(2 * visits('08:14')); // 09:00–09:15 vs 08:00–08:15
		const saturday = of(all(...day(2026, 10, 17), registry, ['library']), 'library');
		const sum = (l: typeof lib) => l.reduce((n, e) => n + e.payload.visits, 0);
		expect(sum(saturday)).toBeLessThan(sum(lib) / 2);
	});
});

describe('eventsBetween: completeness', () => {
	const cmp = of(thursday, 'completeness');

	it('syncs the nine datasets per school at night, and reports status at 06:00', () => {
		const morning = cmp.filter((e) => hhmm(e) < '07:00');
		const night = cmp.filter((e) => hhmm(e) >= '22:00');
		expect(night.every((e) => hhmm(e) < '23:30')).toBe(true);
		expect(morning.length).toBe(registry.schools.length * DATASETS.length);
		const bySchool = new Map<string, Set<string>>();
		for (const e of night)
			bySchool.set(e.school_id, (bySchool.get(e.school_id) ?? new Set()).add(e.payload.dataset));
		expect(bySchool.size).toBeGreaterThan(registry.schools.length * 0.8);
		for (const sets of bySchool.values()) expect([...sets].sort()).toEqual([...DATASETS].sort());
		for (const e of night) {
			expect(e.payload.last_sync_department).not.toBeNull();
			expect(Date.parse(e.payload.last_sync_department!)).toBeLessThanOrEqual(Date.parse(e.ts));
			if (e.payload.last_sync_ministry)
				expect(Date.parse(e.payload.last_sync_ministry)).toBeLessThanOrEqual(Date.parse(e.ts));
			expect(e.payload.filled_fields).toBeLessThanOrEqual(e.payload.required_fields);
			if (e.payload.filled_fields < e.payload.required_fields)
				expect(e.payload.missing_fields!.length).toBeGreaterThan(0);
		}
	});

	it('is mostly complete, with a few schools behind and days late to the ministry', () => {
		const big = syntheticRegistry(200);
		const events = of(
			all(localMs(2026, 10, 15, 6), localMs(2026, 10, 15, 7), big, ['completeness']),
			'completeness'
		);
		const ratio = (e: Extract<EduEventInput, { kind: 'completeness' }>) =>
			e.payload.filled_fields / e.payload.required_fields;
		const behind = new Set(
			big.schools
				.filter((s) => schoolTraits(s, { seed, areas: big.areas }).behind)
				.map((s) => s.school_id)
		);
		expect(behind.size).toBeGreaterThan(5);
		const ok = events.filter((e) => !behind.has(e.school_id));
		const late = events.filter((e) => behind.has(e.school_id));
		expect(ok.every((e) => ratio(e) >= 0.89)).toBe(true);
		expect(late.every((e) => ratio(e) < 0.9)).toBe(true);
		const stale = late.filter(
			(e) =>
				e.payload.last_sync_ministry === null ||
				Date.parse(e.payload.last_sync_ministry) < localMs(2026, 10, 14)
		);
		expect(stale.length).toBeGreaterThan(0);
		expect(late.some((e) => e.payload.missing_fields!.length > 0)).toBe(true);
	});
});
