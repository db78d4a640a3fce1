/**
 * npm run report -- --kind plan83 --year 2026 --out bao-cao-2026.pdf
 *   --kind plan83|district|school   (default plan83)
 *   --year YYYY                     plan83: the year (default: the current one)
 *   --district <id>                 plan83 for one district, or the district report's district
 *   --school <id>                   the school report's school
 *   --from YYYY-MM-DD --to YYYY-MM-DD   district and school reports: the period
 *   --lang vi|en                    the document's language (default vi)
 *   --out <file>                    .pdf or .docx writes that file; another name writes <name>.pdf and <name>.docx
 *
 * Reads the same stores as the app (DATA_DIR's chDB and SQLite, or CLICKHOUSE_URL and
 * DATABASE_URL). Embedded chDB allows one process per data directory: while `npm start` runs on
 * DATA_DIR, make reports on its /reports page instead (this says so rather than waiting).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { makeReport } from '#server/reports/engine';
import { parseReportRequest, requestMessage } from '#server/reports/request';
import { DayClock } from '#server/kpi/day-clock';
import { loadConfig } from '#server/platform/config';
import { setLogLevel } from '#server/platform/log';
import { prepareStorage } from '#server/platform/storage';
import { openStore } from '#server/store/open';
import { CITY } from '#shared/scope';

const USAGE =
	'usage: npm run report -- --kind plan83|district|school [--year YYYY] [--district id] [--school id] [--from YYYY-MM-DD --to YYYY-MM-DD] [--lang vi|en] --out <file>';

async function main(): Promise<number> {
	let a;
	try {
		a = parseArgs({
			options: {
				kind: { type: 'string', default: 'plan83' },
				year: { type: 'string' },
				district: { type: 'string' },
				school: { type: 'string' },
				from: { type: 'string' },
				to: { type: 'string' },
				lang: { type: 'string', default: 'vi' },
				out: { type: 'string' }
			}
		}).values;
	} catch (e) {
		console.error(`${(e as Error).message}\n${USAGE}`);
		return 2;
	}
	if (!a.out) {
		console.error(`--out is needed\n${USAGE}`);
		return 2;
	}
	setLogLevel('warn');
	const cfg = loadConfig();
	const locale = a.lang === 'en' ? 'en' : 'vi';
	let storage;
	try {
		storage = await prepareStorage(cfg);
	} catch (e) {
		const m = (e as Error).message;
		// chDB's error for a data directory another process holds carries this code
		const inUse = (e as { code?: unknown }).code === 'CHDB_CONNECTION' || /CHDB_CONNECTION/.test(m);
		console.error(
			inUse
				? `the embedded ClickHouse in ${cfg.dataDir} is in use (is npm start running?): make the report on its /reports page, or stop it first`
				: `cannot open the data: ${m}`
		);
		return 1;
	}
	const { ch, registry } = storage;
	const store = await openStore({ dataDir: cfg.dataDir, databaseUrl: cfg.store.databaseUrl });
	try {
		const clock = new DayClock(0);
		const p = new URLSearchParams();
		for (const k of ['kind', 'year', 'district', 'school', 'from', 'to'] as const)
			if (a[k]) p.set(k, a[k]!);
		const now = Date.now();
		const r = parseReportRequest(p, { registry: registry.registry, now, shiftMs: 0, scope: CITY });
		if (!r.ok) {
			console.error(requestMessage(locale, r));
			return 2;
		}
		const t0 = performance.now();
		const files = await makeReport(
			{ ch, clock, store, registry: registry.registry },
			r.value,
			locale,
			now,
			(s) => process.stderr.write(`${s} … `)
		);
		process.stderr.write('\n');
		const out = a.out;
		const written = /\.(pdf|docx)$/i.test(out) ? [out] : [`${out}.pdf`, `${out}.docx`];
		for (const f of written) await writeFile(f, /\.pdf$/i.test(f) ? files.pdf : files.docx);
		console.log(
			`${written.join(', ')}: ${files.pages} pages, ${((performance.now() - t0) / 1000).toFixed(1)} s`
		);
		return 0;
	} finally {
		await store.close();
		await ch.close();
	}
}

process.exit(await main());
