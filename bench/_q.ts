import { connectClickHouse, rows } from '#server/platform/clickhouse/client';
const ch = await connectClickHouse({ user: 'default', password: '', database: 'edu', chdbPath: '/tmp/rec-bench/clickhouse' });
for (const q of process.argv.slice(2)) {
	const t0 = Date.now();
	try { console.log(JSON.stringify(await rows(ch, q)).slice(0, 3000)); } catch (e) { console.log('ERR', (e as Error).message.slice(0, 400)); }
	console.log(`  ${Date.now() - t0} ms`);
}
await ch.close();
