import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * BUNDLE_REPORT=1 (npm run bench:bundle): beside the client build, `modules.json` says which
 * source modules each chunk holds and how many of its bytes each one is.
 */
function bundleReport(): Plugin {
	return {
		name: 'edu-bundle-report',
		apply: 'build',
		generateBundle(out, bundle) {
			if (!out.dir?.endsWith(path.join('output', 'client'))) return;
			const chunks: Record<string, { module: string; bytes: number }[]> = {};
			for (const [file, c] of Object.entries(bundle))
				if (c.type === 'chunk')
					chunks[file] = Object.entries(c.modules)
						.map(([id, m]) => ({
							module: path.relative(process.cwd(), id),
							bytes: m.renderedLength
						}))
						.filter((m) => m.bytes > 0);
			writeFileSync(path.join(out.dir, '..', 'client-modules.json'), JSON.stringify(chunks));
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), ...(process.env.BUNDLE_REPORT ? [bundleReport()] : [])],
	server: { host: '127.0.0.1' },
	test: {
		// chDB binds one data directory per process: every test file gets its own process.
		pool: 'forks',
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: [
						'src/**/*.spec.ts',
						'ingest/**/*.spec.ts',
						'scripts/**/*.spec.ts',
						'harness/**/*.spec.ts',
						'tests/architecture/**/*.spec.ts'
					],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 120_000,
					// integration tests start nats-server and chDB; two cores, so one file at a time
					fileParallelism: false
				}
			}
		]
	}
});
