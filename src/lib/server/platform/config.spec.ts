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

	it("NATS_URL takes one server or a cluster's list; NATS_STREAM_REPLICAS the streams' replicas", () => {
		const one = loadConfig({ NATS_URL: 'nats://nats:4222' });
		expect(one.nats.servers).toEqual(['nats://nats:4222']);
		expect(one.nats.replicas).toBeUndefined();
		const three = loadConfig({
			NATS_URL: 'nats://nats-1:4222, nats://nats-2:4222,nats://user:pw@nats-3:4222',
			NATS_STREAM_REPLICAS: '3'
		});
		expect(three.nats.servers).toEqual([
			'nats://nats-1:4222',
			'nats://nats-2:4222',
			'nats://user:pw@nats-3:4222'
		]);
		expect(three.nats.url).toBe('nats://nats-1:4222,nats://nats-2:4222,nats://user:pw@nats-3:4222');
		expect(three.nats.replicas).toBe(3);
		expect(loadConfig({}).nats.servers).toEqual([]);
		for (const bad of [
			{ NATS_URL: 'nats-1:4222' },
			{ NATS_URL: 'nats://a:4222,http://b:80' },
			{ NATS_STREAM_REPLICAS: '0' },
			{ NATS_STREAM_REPLICAS: '7' }
		])
			expect(() => loadConfig(bad), JSON.stringify(bad)).toThrow(new RegExp(Object.keys(bad)[0]));
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
