import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
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
