/** `npm run migrate`: apply ClickHouse migrations and seed the registry if empty, then exit (compose's one-shot service). */
import { loadConfig } from '../src/lib/server/config';
import { logger } from '../src/lib/server/log';
import { prepareStorage } from '../src/lib/server/runtime';

const log = logger('migrate');
try {
	const { ch, registry } = await prepareStorage(loadConfig());
	log.info('ready', {
		schools: registry.registry.schools.length,
		areas: registry.registry.areas.length
	});
	await ch.close();
} catch (error) {
	log.error('migrate failed', { error });
	process.exit(1);
}
