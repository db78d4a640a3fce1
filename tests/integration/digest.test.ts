/**
 * Weekly district digests end to end: fixture events in a real chDB, the store on SQLite and on
 * PostgreSQL, the schedule run many times across three weeks (and a restart), the notify
 * dispatcher sending through a real SMTP server. Each contact of a district gets one mail per
 * week, only once the week has ended, in their language, with the district page's figures for
 * that week; a contact of another district gets nothing about this one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '#shared/calendar';
import type { DistrictView } from '#shared/drill';
import { KPI_IDS } from '#shared/kpi';
import { DEFAULT_SETTINGS } from '#shared/notify';
import { resolveRange } from '#shared/range';
import { DigestService } from '#server/digest/service';
import { districtView } from '#server/drill/district';
import { DayClock } from '#server/kpi/day-clock';
import { mailer } from '#server/notify/channels';
import { NotifyService } from '#server/notify/service';
import { vapidKeys } from '#server/notify/vapid';
import { logger, setLogLevel } from '#server/platform/log';
import { acknowledge, applyEvaluation, listRules, type Condition } from '#server/store/alerts';
import { listDigests } from '#server/store/digests';
import { listDeliveries, saveSettings, setEscalationContacts } from '#server/store/notify';
import { openStore, type Store } from '#server/store/open';
import { createUser, setScope } from '#server/store/users';
import { fixtureEvents, testRegistry } from '#harness/events';
import { fixtureDates } from '#harness/fixture-dates';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { tempPostgres } from '#harness/pg';
import { startSmtpServer, type TestSmtp } from '#harness/smtp';

setLogLevel('error');
const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
const ORIGIN = 'https://edu.example.vn';
const M = 60_000;
// the fixture's days, moved by whole weeks to the latest span before today (harness/fixture-dates.ts):
// Monday stays Monday, so the weeks stay weeks; the dates in the comments are the fixture's, as written
const { at, day } = fixtureDates('2026-10-26', '2026-11-17');
/** a fixture day, moved, as the mails write it: '26/10/2026' */
const dmy = (s: string) => day(s).split('-').reverse().join('/');
const clock = new DayClock(0);
// the weeks: W0 26 Oct – 1 Nov, W1 2–8 Nov, W2 9–15 Nov
const W0 = localDay(at(2026, 10, 26));
const W1 = W0 + 7;
const { roll, beat, comp } = fixtureEvents('digest-test');
let fx: FixtureIngest;

const silent = (s: typeof nk1): Condition => ({
	rule_id: 'school_silent',
	school_id: s.school_id,
	district_id: s.area_id,
	value: null,
	detail: 'nothing heard for 20 min',
	args: { key: 'silent_for', p: { minutes: 20 } }
});

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	// the fixture's days are recent, yet the span may have to go further back (a holiday on the
	// days it would take): keep the minute rollups whatever today is
	await fx.db.ch.command({ query: 'SYSTEM STOP TTL MERGES' });
	const msgs = [
		// W0: Ninh Kiều 40/40, 36/40, 30/30 present; Cờ Đỏ 28/35
		roll(nk1, at(2026, 10, 27, 7, 30), 40, 40, 0),
		roll(nk1, at(2026, 10, 30, 7, 30), 40, 36, 3),
		roll(nk2, at(2026, 10, 30, 7, 30), 30, 30, 0),
		roll(cd1, at(2026, 10, 29, 7, 30), 35, 28, 2),
		// W1: Ninh Kiều 38/40, 27/30, 29/30: 94 of 100 (nk2 drops from 100 % to 93.3 %)
		roll(nk1, at(2026, 11, 2, 7, 30), 40, 38, 1),
		roll(nk2, at(2026, 11, 2, 7, 30), 30, 27, 2),
		roll(nk2, at(2026, 11, 3, 7, 30), 30, 29, 1),
		roll(cd1, at(2026, 11, 3, 7, 30), 35, 33, 1),
		// W2
		roll(nk1, at(2026, 11, 10, 7, 30), 40, 39, 1),
		// completeness: nk1 900/1000 then 950/1000 from 2 Nov; nk2 150/200 throughout
		comp(nk1, at(2026, 10, 29, 10), 'students', 1000, 900, { missing: ['ngay_sinh'] }),
		comp(nk2, at(2026, 10, 30, 10), 'staff', 200, 150, { missing: ['trinh_do'] }),
		comp(nk1, at(2026, 11, 2, 10), 'students', 1000, 950, { missing: ['dan_toc'] })
	];
	// Monday 2 Nov: nk1's four devices every minute 07:00–07:59
	for (let m = 0; m < 60; m++)
		for (let i = 0; i < 4; i++) msgs.push(beat(nk1, i, at(2026, 11, 2, 7) + m * M + 5000));
	await fx.submit(msgs);
}, 120_000);

afterAll(async () => {
	await fx?.stop();
});

/** The district page's view of a week, compared with the week before, as the page computes it. */
async function pageView(district: string, monday: number, now: number): Promise<DistrictView> {
	const f = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
	const r = resolveRange(
		{ preset: 'custom', from: f(monday), to: f(monday + 6), at: null, compare: true },
		now
	);
	if (!r.ok) throw new Error(r.error.key);
	return (await districtView({
		ch: fx.db.ch,
		clock,
		registry: fx.registry.registry,
		now,
		districtId: district,
		range: r.value,
		view: {
			range: r.value.query,
			kpi: 'attendance',
			sort: 'status',
			dir: 'desc',
			level: null,
			setting: null
		}
	}))!;
}

type Locale = 'vi' | 'en';
const WORDS = {
	vi: {
		kpi: {
			attendance: 'Chuyên cần',
			uptime: 'Thiết bị lớp học hoạt động',
			library: 'Thư viện điện tử (so với mức thường ngày)',
			completeness: 'Dữ liệu ngành đầy đủ'
		},
		prev: 'tuần trước',
		nodata: 'Không có số liệu',
		noCompare: 'chưa có số liệu để so sánh',
		pts: 'điểm'
	},
	en: {
		kpi: {
			attendance: 'Attendance',
			uptime: 'Classroom devices up',
			library: 'E-library use (against its usual level)',
			completeness: 'Sector data complete'
		},
		prev: 'week before',
		nodata: 'No data',
		noCompare: 'no data to compare',
		pts: 'pts'
	}
} as const;
const nf = (l: Locale, o: Intl.NumberFormatOptions) =>
	new Intl.NumberFormat(l === 'vi' ? 'vi-VN' : 'en-GB', {
		minimumFractionDigits: 1,
		maximumFractionDigits: 1,
		...o
	});

/** A KPI's line in the plain text, written here from the page's figures. */
function kpiLine(v: DistrictView, k: (typeof KPI_IDS)[number], l: Locale): string {
	const w = WORDS[l];
	const val = (x: number | null) => (x === null ? w.nodata : nf(l, { style: 'percent' }).format(x));
	const prev = v.prev?.[k] ?? null;
	const now = v.values[k];
	const change =
		now === null || prev === null
			? w.noCompare
			: `${nf(l, { signDisplay: 'always' }).format((now - prev) * 100)} ${w.pts}`;
	return `${w.kpi[k]}: ${val(now)} (${w.prev}: ${val(prev)}; ${change})`;
}

for (const engine of ['sqlite', 'postgres'] as const)
	describe(`weekly digests (${engine})`, () => {
		let dir: string;
		let pg: { url: string; drop(): Promise<void> } | null = null;
		let store: Store;
		let smtp: TestSmtp;
		let notify: NotifyService;
		let digest: DigestService;
		const ids: Record<string, string> = {};
		const open = () => openStore({ dataDir: dir, databaseUrl: pg?.url }).then((s) => (store = s));
		const services = async () => {
			notify = new NotifyService({
				store,
				registry: fx.registry,
				log: logger('notify'),
				mailer: mailer(smtp.url, 'Trung tâm điều hành <bantin@edu.example.vn>', 'edu.example.vn'),
				emailOn: true,
				vapid: await vapidKeys(store, 'bantin@edu.example.vn'),
				origin: ORIGIN
			});
			digest = new DigestService({
				ch: fx.db.ch,
				store,
				registry: fx.registry,
				clock,
				log: logger('digest'),
				origin: ORIGIN
			});
		};
		/** the schedule's tick and the dispatcher's, as the runtime runs them */
		const run = async (now: number) => {
			await digest.tick(now);
			await notify.tick(now);
		};
		const to = (addr: string): ParsedMail[] =>
			smtp.messages.filter((m) =>
				(Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(addr))
			);
		const subjects = (addr: string) => to(addr).map((m) => m.subject);

		beforeAll(async () => {
			dir = mkdtempSync(path.join(tmpdir(), 'edu-digest-'));
			if (engine === 'postgres') pg = await tempPostgres();
			smtp = await startSmtpServer();
			await open();
			const user = (email: string) =>
				createUser(store, { email, role: 'leader', password: 'a-long-password-1' });
			// Ninh Kiều: the head of its education office (escalation contact, Vietnamese, default
			// settings) and an analyst's account scoped to the district, in English
			const vi = await user('truong.phong@ninhkieu.cantho.vn');
			const en = await user('analyst@ninhkieu.cantho.vn');
			await setScope(store, en.email, { kind: 'district', district: 'ninh-kieu' });
			await saveSettings(store, en.id, { ...DEFAULT_SETTINGS, locale: 'en' });
			// a scoped account that turned email off (push only), and a city-wide one: no digest
			const push = await user('push.only@ninhkieu.cantho.vn');
			await setScope(store, push.email, { kind: 'district', district: 'ninh-kieu' });
			await saveSettings(store, push.id, { ...DEFAULT_SETTINGS, channels: ['push'] });
			await user('lanh.dao@so-gddt.cantho.vn');
			// Cờ Đỏ's contact chose no channel: as for escalations, the digest goes by email
			const cd = await user('truong.phong@codo.cantho.vn');
			await saveSettings(store, cd.id, { ...DEFAULT_SETTINGS, channels: [], severities: [] });
			await setEscalationContacts(store, 'ninh-kieu', [vi.id], 'test');
			await setEscalationContacts(store, 'co-do', [cd.id], 'test');
			Object.assign(ids, { vi: vi.id, en: en.id, cd: cd.id });
			// W1's alerts: nk1 silent, acknowledged, cleared; Cờ Đỏ's school silent from Wednesday;
			// nk2 silent from Thursday, escalated and still open at the end of the week
			const rules = await listRules(store);
			const ev = (now: number, cs: Condition[]) =>
				applyEvaluation(store, rules, ['school_silent'], cs, now);
			const [a1] = await ev(at(2026, 11, 3, 8), [silent(nk1)]);
			await acknowledge(
				store,
				a1.alert.id,
				`user:${vi.id}`,
				'đã gọi trường',
				at(2026, 11, 3, 8, 10)
			);
			await ev(at(2026, 11, 3, 9), []);
			await ev(at(2026, 11, 4, 8), [silent(cd1)]);
			const [a2] = await ev(at(2026, 11, 5, 8), [silent(cd1), silent(nk2)]);
			ids.a2 = a2.alert.id;
			await ev(at(2026, 11, 5, 8, 20), [silent(cd1), silent(nk2)]);
			// the alerts' own notifications are not what this file tests: planned and sent first
			await services();
			await notify.tick(at(2026, 11, 5, 9));
			smtp.messages.length = 0;
		}, 60_000);

		afterAll(async () => {
			await digest?.stop();
			await notify?.stop();
			await store?.close();
			await smtp?.stop();
			await pg?.drop();
			rmSync(dir, { recursive: true, force: true });
		});

		it('during a week only the week before is sent, once per contact; nothing of the week before it ends', async () => {
			for (const now of [
				at(2026, 11, 2, 7, 30), // Monday: W0 ended, its digest is due
				at(2026, 11, 2, 7, 31),
				at(2026, 11, 4, 12),
				at(2026, 11, 8, 23, 59), // Sunday night: W1 has not ended
				at(2026, 11, 9, 6, 59) // Monday before 07:00: W1 ended, its digest not yet due
			])
				await run(now);
			await smtp.waitFor(3);
			await new Promise((r) => setTimeout(r, 200));
			expect(smtp.messages).toHaveLength(3);
			expect(subjects('truong.phong@ninhkieu')).toEqual([
				`Bản tin tuần Ninh Kiều: ${dmy('2026-10-26')} – ${dmy('2026-11-01')}`
			]);
			expect(subjects('analyst@ninhkieu')).toEqual([
				`Weekly digest Ninh Kiều: ${dmy('2026-10-26')} – ${dmy('2026-11-01')}`
			]);
			expect(subjects('truong.phong@codo')).toEqual([
				`Bản tin tuần Cờ Đỏ: ${dmy('2026-10-26')} – ${dmy('2026-11-01')}`
			]);
			// W0 has nothing before it to compare with
			const [w0] = to('truong.phong@ninhkieu');
			expect(w0.text).toContain(
				'Chuyên cần: 96,4% (tuần trước: Không có số liệu; chưa có số liệu để so sánh)'
			);
			expect(to('analyst@ninhkieu')[0].text).toContain('no data to compare');
		});

		it("sends W1's digest once from Monday 07:00, across a restart, in each contact's language with the page's figures", async () => {
			await run(at(2026, 11, 9, 7, 0));
			await run(at(2026, 11, 9, 7, 30));
			// a restart: the schedule forgets what it did; the store does not
			await digest.stop();
			await notify.stop();
			await store.close();
			await open();
			await services();
			await run(at(2026, 11, 10, 12));
			await run(at(2026, 11, 15, 23));
			await smtp.waitFor(6);
			await new Promise((r) => setTimeout(r, 200));
			expect(smtp.messages).toHaveLength(6);
			const [, vi] = to('truong.phong@ninhkieu');
			const [, en] = to('analyst@ninhkieu');
			expect(vi.subject).toBe(
				`Bản tin tuần Ninh Kiều: ${dmy('2026-11-02')} – ${dmy('2026-11-08')}`
			);
			expect(en.subject).toBe(
				`Weekly digest Ninh Kiều: ${dmy('2026-11-02')} – ${dmy('2026-11-08')}`
			);
			expect(vi.messageId).toBe(
				`<digest.ninh-kieu.${day('2026-11-02')}.email.${ids.vi}@edu.example.vn>`
			);

			// the figures are the district page's for the same week, in both languages
			const page = await pageView('ninh-kieu', W1, at(2026, 11, 9, 7));
			for (const k of KPI_IDS) {
				expect(vi.text).toContain(kpiLine(page, k, 'vi'));
				expect(en.text).toContain(kpiLine(page, k, 'en'));
			}
			// …and the hand-computed ones: attendance 94/100 against 106/110; completeness at the
			// week's end (950 + 150) / 1200 against (900 + 150) / 1200
			expect(page.values.attendance).toBeCloseTo(0.94, 10);
			expect(page.prev!.attendance).toBeCloseTo(106 / 110, 10);
			expect(vi.text).toContain('Chuyên cần: 94,0% (tuần trước: 96,4%; -2,4 điểm)');
			expect(en.text).toContain('Attendance: 94.0% (week before: 96.4%; -2.4 pts)');
			expect(page.values.completeness).toBeCloseTo(1100 / 1200, 10);
			expect(vi.text).toContain('Dữ liệu ngành đầy đủ: 91,7% (tuần trước: 87,5%; +4,2 điểm)');

			// in each one's language, not the other's
			for (const s of ['Chỉ số của tuần', 'Trường cần chú ý', 'Cảnh báo trong tuần']) {
				expect(vi.text).toContain(s);
				expect(en.text).not.toContain(s);
				expect(vi.html).toContain(s);
			}
			for (const s of [
				"The week's indicators",
				'Schools that need attention',
				"The week's alerts"
			]) {
				expect(en.text).toContain(s);
				expect(vi.text).not.toContain(s);
				expect(en.html).toContain(s.replaceAll("'", '&#39;'));
			}
			expect(vi.html).toContain('<html lang="vi">');
			expect(en.html).toContain('<html lang="en">');

			// what needs attention: nk2's attendance fell from 100 % to 93.3 %
			expect(vi.text).toContain(
				`- Trường Tiểu học Thử Nghiệm 2: 93,3% (-6,7 điểm), giảm mạnh so với tuần trước — ${ORIGIN}/schools/t-nk-2?range=custom&from=${day('2026-11-02')}&to=${day('2026-11-08')}&compare=1`
			);
			// the week's alerts of Ninh Kiều only: nk1's (acknowledged, cleared) and nk2's (escalated, open)
			expect(vi.text).toContain(
				'2 cảnh báo mới · 1 chuyển cấp · 1 được xác nhận · 1 xử lý xong · 1 còn mở cuối tuần'
			);
			expect(en.text).toContain('2 new · 1 escalated · 1 acknowledged · 1 resolved · 1 still open');
			expect(vi.text).toContain(
				`Trường mất liên lạc — Trường Tiểu học Thử Nghiệm 2 (Khẩn · chưa xác nhận · từ 08:00 ${dmy('2026-11-05')})`
			);
			expect(vi.text).toContain(`${ORIGIN}/alerts/${ids.a2}`);
			// data gaps: nk2 at 75 % of its fields
			expect(vi.text).toContain('- Trường Tiểu học Thử Nghiệm 2: 75,0%');
			// the link to the district page for that week, against the week before
			const link = `${ORIGIN}/districts/ninh-kieu?range=custom&from=${day('2026-11-02')}&to=${day('2026-11-08')}&compare=1`;
			expect(vi.text).toContain(link);
			expect(vi.html).toContain(`href="${link.replaceAll('&', '&amp;')}"`);
			expect(en.text).toContain(`${link}&lang=en`);

			// Cờ Đỏ's contact gets Cờ Đỏ's week and nothing of Ninh Kiều's
			const cd = to('truong.phong@codo');
			expect(cd.map((m) => m.subject)).toEqual([
				`Bản tin tuần Cờ Đỏ: ${dmy('2026-10-26')} – ${dmy('2026-11-01')}`,
				`Bản tin tuần Cờ Đỏ: ${dmy('2026-11-02')} – ${dmy('2026-11-08')}`
			]);
			for (const m of cd) {
				expect(m.text).not.toMatch(/Ninh Kiều|Thử Nghiệm|t-nk-/);
				expect(m.html).not.toMatch(/Ninh Kiều|Thử Nghiệm|t-nk-/);
			}
			expect(cd[1].text).toContain('Chuyên cần: 94,3% (tuần trước: 80,0%; +14,3 điểm)');
			// Ninh Kiều's mails say nothing of Cờ Đỏ's school or its alert
			for (const m of [...to('truong.phong@ninhkieu'), ...to('analyst@ninhkieu')])
				expect(m.text).not.toMatch(/Cờ Đỏ|t-cd-1/);
			// nobody else: the city-wide account and the push-only one
			expect(to('lanh.dao@')).toHaveLength(0);
			expect(to('push.only@')).toHaveLength(0);

			// for a look at the mail (the screenshots in the report): DIGEST_HTML_OUT=/tmp
			if (process.env.DIGEST_HTML_OUT && engine === 'sqlite') {
				writeFileSync(path.join(process.env.DIGEST_HTML_OUT, 'digest-vi.html'), String(vi.html));
				writeFileSync(path.join(process.env.DIGEST_HTML_OUT, 'digest-en.html'), String(en.html));
			}
		});

		it('the next week sends one more each; the delivery log and the digests table say so', async () => {
			await run(at(2026, 11, 16, 6, 0));
			expect(smtp.messages).toHaveLength(6);
			await run(at(2026, 11, 16, 7, 5));
			await run(at(2026, 11, 16, 8));
			await smtp.waitFor(9);
			await new Promise((r) => setTimeout(r, 200));
			expect(smtp.messages).toHaveLength(9);
			expect(subjects('truong.phong@ninhkieu')).toEqual([
				`Bản tin tuần Ninh Kiều: ${dmy('2026-10-26')} – ${dmy('2026-11-01')}`,
				`Bản tin tuần Ninh Kiều: ${dmy('2026-11-02')} – ${dmy('2026-11-08')}`,
				`Bản tin tuần Ninh Kiều: ${dmy('2026-11-09')} – ${dmy('2026-11-15')}`
			]);
			const ds = (await listDeliveries(store)).filter((d) => d.action === 'digest');
			expect(ds).toHaveLength(9);
			expect(ds.every((d) => d.state === 'sent' && d.attempts === 1)).toBe(true);
			expect(ds.map((d) => d.id)).toContain(`digest:co-do:${day('2026-11-09')}:email:${ids.cd}`);
			const rows = await listDigests(store);
			expect(rows).toHaveLength(6);
			expect(
				rows.find((r) => r.district_id === 'ninh-kieu' && r.week === day('2026-11-09'))
			).toMatchObject({
				recipients: 2,
				planned_by: 'system',
				skipped: ''
			});
		});

		it('an admin\'s "send now" reaches only the contacts who have not had that week', async () => {
			const late = await createUser(store, {
				email: 'pho.phong@ninhkieu.cantho.vn',
				role: 'leader',
				password: 'a-long-password-9'
			});
			await setScope(store, late.email, { kind: 'district', district: 'ninh-kieu' });
			const r = await digest.sendNow('ninh-kieu', 'user:admin', at(2026, 11, 17, 9));
			expect(r).toEqual({ monday: W1 + 7, added: 1 });
			await notify.tick(at(2026, 11, 17, 9));
			await smtp.waitFor(10);
			await new Promise((r) => setTimeout(r, 200));
			expect(smtp.messages).toHaveLength(10);
			expect(subjects('pho.phong@')).toEqual([
				`Bản tin tuần Ninh Kiều: ${dmy('2026-11-09')} – ${dmy('2026-11-15')}`
			]);
			expect(await digest.sendNow('nowhere', 'user:admin', at(2026, 11, 17, 9))).toBeNull();
		});
	});
