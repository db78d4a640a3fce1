import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('config', () => {
	it('with nothing set: embedded mode on 127.0.0.1:3000, chDB under ./data, feed on', () => {
		const c = loadConfig({});
		expect(c.mode).toBe('embedded');
		expect(c.host).toBe('127.0.0.1');
		expect(c.port).toBe(3000);
		expect(c.clickhouse.chdbPath).toMatch(/\/data\/clickhouse$/);
		expect(c.feed.enabled).toBe(true);
		expect(c.nats.url).toBeUndefined();
	});

	it('CLICKHOUSE_URL switches to server mode, where the feed is its own process', () => {
		const c = loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', NATS_URL: 'nats://nats:4222' });
		expect(c.mode).toBe('server');
		expect(c.feed.enabled).toBe(false);
		expect(c.nats.url).toBe('nats://nats:4222');
	});

	it('a bad value stops the start with a message naming each variable', () => {
		expect(() => loadConfig({ PORT: 'eighty', INGEST_BATCH_SIZE: '0', FEED: 'maybe' })).toThrow(
			ConfigError
		);
		try {
			loadConfig({ PORT: 'eighty', INGEST_BATCH_SIZE: '0', FEED: 'maybe' });
		} catch (e) {
			expect((e as Error).message).toMatch(/PORT/);
			expect((e as Error).message).toMatch(/INGEST_BATCH_SIZE/);
			expect((e as Error).message).toMatch(/FEED/);
		}
	});

	it('CLICKHOUSE_CLUSTER names the cluster the migrations go to, on servers only', () => {
		expect(loadConfig({}).clickhouse.cluster).toBeUndefined();
		expect(
			loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'edu_vn' }).clickhouse
				.cluster
		).toBe('edu_vn');
		expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'edu_vn' })).toThrow(/CLICKHOUSE_CLUSTER/);
		expect(() =>
			loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: "a'b" })
		).toThrow(/CLICKHOUSE_CLUSTER/);
	});

	it('empty strings mean the default', () => {
		expect(loadConfig({ NATS_URL: '', PORT: '' }).port).toBe(3000);
	});
});
