import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_LAUNCH } from '#harness/chromium';
import { TEST_ADMIN } from '#harness/sign-in';

// The server under test is the production build (`node build`) on its own port and data folder.
process.env.E2E_PORT ??= String(4300 + Math.floor(Math.random() * 500));
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'edu-e2e-'));
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
// the city IOC's page (allowed to frame embeds) and another site (not allowed), served by the tests
process.env.E2E_IOC_PORT ??= String(5300 + Math.floor(Math.random() * 300));
process.env.E2E_OTHER_PORT ??= String(5700 + Math.floor(Math.random() * 300));

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	// the server under test backfills history, evaluates alerts and serves the live wall on two
	// cores: a page's data can take seconds while that runs, so an assertion waits up to 15 s
	expect: { timeout: 15_000 },
	workers: 1,
	reporter: [['list']],
	outputDir: 'test-results',
	// every test but the sign-in ones starts signed in as the test admin (auth.setup.ts)
	projects: [
		{ name: 'setup', testMatch: /auth\.setup\.ts/ },
		{
			name: 'e2e',
			dependencies: ['setup'],
			testIgnore: /auth\.setup\.ts/,
			use: { storageState: 'test-results/.auth/admin.json' }
		}
	],
	use: {
		baseURL,
		launchOptions: CHROMIUM_LAUNCH
	},
	webServer: {
		command: 'node build',
		url: `${baseURL}/api/health`,
		timeout: 180_000,
		reuseExistingServer: false,
		// stopped the way an operator stops it (SIGTERM: it exits within a few seconds), killed if not
		gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			PORT: process.env.E2E_PORT,
			HOST: '127.0.0.1',
			DATA_DIR: process.env.E2E_DATA_DIR,
			FEED_BACKFILL_MINUTES: '5',
			FEED_HISTORY_DAYS: '3',
			LOG_LEVEL: 'warn',
			ORIGIN: baseURL,
			BODY_SIZE_LIMIT: '64K',
			EMBED_ORIGINS: `http://127.0.0.1:${process.env.E2E_IOC_PORT}`,
			ADMIN_EMAIL: TEST_ADMIN.email,
			ADMIN_PASSWORD: TEST_ADMIN.password
		}
	}
});
