/**
 * The alert lifecycle end to end with real events (in-process ingest into chDB), the store on
 * SQLite and on PostgreSQL, and a real nats-server carrying each transition on
 * `edu.v1.alerts.<state>.<district>.<school>`: fire, no duplicates, acknowledge with a note,
 * escalation, auto-resolve, silence, resolve by hand.
 */
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '#server/alerts/service';
import { logger, setLogLevel } from '#server/platform/log';
import {
	acknowledge,
	addSilence,
	alertHistory,
	listAlerts,
	listRules,
	resolveByHand,
	saveRule
} from '#server/store/alerts';
import { recentAudit } from '#server/store/audit';
import { openStore, type Store } from '#server/store/open';
import { DayClock } from '#server/kpi/day-clock';
import type { AlertTransition } from '#shared/alerts';
import { fixtureDates } from '#harness/fixture-dates';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { fixtureEvents, testRegistry } from '#harness/events';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { tempPostgres } from '#harness/pg';

setLogLevel('warn');
const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
const { roll, beat, comp } = fixtureEvents('alerts-test');
// Tuesday 3 November 2026, a school day, moved by whole weeks to a recent Tuesday
// (harness/fixture-dates.ts): the readers leave the minute rollups 34 days after the real clock
const day = fixtureDates('2026-11-03', '2026-11-03');
const at = (h: number, m = 0) => day.at(2026, 11, 3, h, m);
const M = 60_000;
const clock = new DayClock(0);
let fx: FixtureIngest;
let nats: NatsServer;
let nc: NatsConnection;

/** Heartbeats of a school's 4 devices, every minute in [from, to). */
const beats = (s: (typeof reg.schools)[number], from: number, to: number) => {
	const out = [];
	for (let t = from; t < to; t += M) for (let d = 0; d < 4; d++) out.push(beat(s, d, t + 5000));
	return out;
};

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	nats = await startNatsServer();
	nc = await connect({ servers: nats.url });
	await fx.submit([
		roll(nk1, at(7, 30), 40, 38, 1),
		roll(cd1, at(7, 30), 35, 34, 1),
		...[nk1, nk2, cd1].map((s) => comp(s, at(7), 'students', 100, 99)),
		...beats(nk1, at(7), at(11)),
		...beats(nk2, at(7), at(9, 10)), // nk2 goes dark at 09:10 …
		roll(nk2, at(9, 50), 30, 29, 1), // … its late roll call at 09:50, and its devices back
		...beats(nk2, at(9, 50), at(11)),
		...beats(cd1, at(7), at(10, 30)) // cd1 goes dark at 10:30
	]);
	// every evaluation below reads only what was written before its moment
}, 180_000);

afterAll(async () => {
	await nc?.close();
	await nats?.stop();
	await fx?.stop();
});

const engines = [
	{
		name: 'sqlite',
		async open() {
			const dir = mkdtempSync(path.join(tmpdir(), 'edu-alerts-'));
			return {
				store: await openStore({ dataDir: dir }),
				done: async () => rmSync(dir, { recursive: true, force: true })
			};
		}
	},
	{
		name: 'postgres',
		async open() {
			const db = await tempPostgres();
			return {
				store: await openStore({ dataDir: '/nonexistent', databaseUrl: db.url }),
				done: db.drop
			};
		}
	}
] as const;

describe.each(engines)('alerts on $name', (engine) => {
	let store: Store;
	let done: () => Promise<void>;
	let svc: AlertService;
	let sub: Subscription;
	const subjects: string[] = [];
	const seen: AlertTransition[] = [];

	beforeAll(async () => {
		({ store, done } = await engine.open());
		// admin-edited rules: only the two this story needs
		for (const r of await listRules(store))
			await saveRule(
				store,
				{ ...r, enabled: r.id === 'attendance_missing' || r.id === 'school_silent' },
				'user:admin'
			);
		sub = nc.subscribe('edu.v1.alerts.>');
		void (async () => {
			for await (const m of sub) subjects.push(m.subject);
		})();
		svc = new AlertService({
			ch: fx.db.ch,
			store,
			registry: fx.registry,
			clock,
			log: logger('alerts'),
			publish: (s, d) => nc.publish(s, d)
		});
		svc.on((t) => seen.push(t));
	});
	afterAll(async () => {
		sub?.unsubscribe();
		await store?.close();
		await done?.();
	});

	const open = async () =>
		(await listAlerts(store, { state: ['firing', 'acknowledged'] }))
			.map((a) => `${a.rule_id}:${a.school_id}:${a.state}:${a.severity}`)
			.sort();
	const flushNats = async () => {
		await nc.flush();
		await new Promise((r) => setTimeout(r, 100));
	};

	it('fires for a school with no roll call by 09:00, once however often it is evaluated', async () => {
		expect(await svc.evaluate(at(8, 55))).toEqual([]); // before the cut-off: nothing
		const t = await svc.evaluate(at(9, 5));
		expect(t.map((x) => `${x.action}:${x.alert.rule_id}:${x.alert.school_id}`)).toEqual([
			'fired:attendance_missing:t-nk-2'
		]);
		expect(await svc.evaluate(at(9, 6))).toEqual([]);
		expect(await svc.evaluate(at(9, 7))).toEqual([]);
		const [a] = await listAlerts(store, { state: ['firing'] });
		expect(a.fired_count).toBe(3);
		expect(await open()).toEqual(['attendance_missing:t-nk-2:firing:alert']);
		await flushNats();
		expect(subjects).toEqual(['edu.v1.alerts.firing.ninh-kieu.t-nk-2']);
	});

	it('is acknowledged by an operator with a note; a school gone dark escalates when nobody acknowledges it', async () => {
		const [a] = await listAlerts(store, { state: ['firing'] });
		svc.emit([
			await acknowledge(store, a.id, 'user:operator-lan', 'Đã gọi điện cho hiệu trưởng', at(9, 8))
		]);
		await expect(acknowledge(store, a.id, 'user:operator-lan', 'again', at(9, 9))).rejects.toThrow(
			/already acknowledged/
		);
		// nk2 heard last in the 09:09 minute: silent for 20 minutes at 09:30
		expect((await svc.evaluate(at(9, 29))).map((x) => x.action)).toEqual([]);
		expect((await svc.evaluate(at(9, 30))).map((x) => `${x.action}:${x.alert.rule_id}`)).toEqual([
			'fired:school_silent'
		]);
		expect((await svc.evaluate(at(9, 44))).map((x) => x.action)).toEqual([]);
		expect(
			(await svc.evaluate(at(9, 45))).map(
				(x) => `${x.action}:${x.alert.rule_id}:${x.alert.severity}`
			)
		).toEqual(['escalated:school_silent:alert']);
		expect(await svc.evaluate(at(9, 46))).toEqual([]); // escalated once
		expect(await open()).toEqual([
			'attendance_missing:t-nk-2:acknowledged:alert',
			'school_silent:t-nk-2:firing:alert'
		]);
	});

	it('an operator resolves with a note; the late roll call resolves the other by itself; a silence holds until it ends', async () => {
		const [silent] = await listAlerts(store, { state: ['firing'] });
		await expect(resolveByHand(store, silent.id, 'user:operator-lan', '   ')).rejects.toThrow(
			/note/
		);
		svc.emit([
			await resolveByHand(
				store,
				silent.id,
				'user:operator-lan',
				'Trường báo mất mạng, đang khắc phục',
				at(9, 47)
			)
		]);

		const t = await svc.evaluate(at(9, 55));
		expect(t.map((x) => `${x.action}:${x.alert.rule_id}:${x.alert.resolved_by}`)).toEqual([
			'resolved:attendance_missing:auto'
		]);
		expect(await open()).toEqual([]);

		// cd1 is silenced until 11:00 (a planned power cut) before it goes dark at 10:30
		await addSilence(
			store,
			{
				rule_id: 'school_silent',
				school_id: cd1.school_id,
				until: at(11),
				reason: 'Cắt điện theo lịch',
				by: 'user:operator-lan'
			},
			at(10)
		);
		expect(await svc.evaluate(at(10, 55))).toEqual([]);
		expect(
			(await svc.evaluate(at(11, 5))).map(
				(x) => `${x.action}:${x.alert.rule_id}:${x.alert.school_id}`
			)
		).toEqual(['fired:school_silent:t-cd-1']);

		// the history of each alert, and the audit log, hold every transition
		const all = await listAlerts(store);
		const byRule = Object.fromEntries(
			await Promise.all(
				all.map(async (a) => [
					`${a.rule_id}:${a.school_id}`,
					(await alertHistory(store, a.id)).map((h) => `${h.action}:${h.actor}`)
				])
			)
		);
		expect(byRule).toEqual({
			'attendance_missing:t-nk-2': [
				'fired:system',
				'acknowledged:user:operator-lan',
				'resolved:system'
			],
			'school_silent:t-nk-2': ['fired:system', 'escalated:system', 'resolved:user:operator-lan'],
			'school_silent:t-cd-1': ['fired:system']
		});
		const audit = (await recentAudit(store, 100)).map((e) => e.action);
		for (const a of [
			'alert.fired',
			'alert.acknowledged',
			'alert.escalated',
			'alert.resolved',
			'alert.silence'
		])
			expect(audit).toContain(a);

		await flushNats();
		expect(subjects).toEqual([
			'edu.v1.alerts.firing.ninh-kieu.t-nk-2',
			'edu.v1.alerts.acknowledged.ninh-kieu.t-nk-2',
			'edu.v1.alerts.firing.ninh-kieu.t-nk-2',
			'edu.v1.alerts.escalated.ninh-kieu.t-nk-2',
			'edu.v1.alerts.resolved.ninh-kieu.t-nk-2',
			'edu.v1.alerts.resolved.ninh-kieu.t-nk-2',
			'edu.v1.alerts.firing.co-do.t-cd-1'
		]);
		expect(seen.length).toBe(subjects.length);
	});
});
