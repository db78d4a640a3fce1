/** The app process's runtime, started once by `init` in hooks.server.ts. */
import { loadConfig } from './config';
import { logger } from './log';
import { startRuntime, type Runtime } from './runtime';

let starting: Promise<Runtime> | null = null;
const log = logger('app');

/** Start (once) and return the runtime. */
export function appRuntime(): Promise<Runtime> {
	if (!starting) {
		starting = startRuntime(loadConfig());
		starting.then(
			(rt) => {
				// adapter-node emits this after the HTTP server closed on SIGTERM/SIGINT
				process.once('sveltekit:shutdown', async (reason: string) => {
					log.info('shutting down; draining ingest', { reason });
					await rt.stop().catch((error) => log.error('shutdown failed', { error }));
				});
			},
			(error) => log.error('start failed', { error })
		);
	}
	return starting;
}
