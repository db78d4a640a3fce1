/** `npm run migrate`: apply ClickHouse migrations and seed the registry if empty, then exit (compose's one-shot service). */
import { loadConfig } from '#server/platform/config';
import { logger } from '#server/platform/log';
import { prepareStorage } from '#server/platform/storage';

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
