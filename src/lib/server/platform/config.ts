/**
 * The one place that reads process.env. Parsed with zod at start-up: a bad value stops
 * the process with a message naming the variable. Every setting has a working default
 * for the embedded mode (no configuration at all).
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
	.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
	.transform((v) => ['1', 'true', 'on', 'yes'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalUrl = z
	.string()
	.trim()
	.transform((s) => (s === '' ? undefined : s))
	.pipe(z.url().optional())
	.optional();

/**
 * One NATS server or a cluster's: `nats://a:4222` or `nats://a:4222,nats://b:4222,nats://c:4222`
 * (commas or spaces between). The client connects to any and fails over to the others.
 */
const natsServers = z
	.string()
	.trim()
	.transform((s) => s.split(/[\s,]+/).filter(Boolean))
	.pipe(
		z.array(
			z
				.string()
				.regex(
					/^(nats|tls|ws|wss):\/\/[^\s/,]+\/?$/i,
					'each must be a server URL like nats://host:4222'
				)
		)
	)
	.optional();

const envSchema = z.object({
	PORT: int(1, 65535).default(3000),
	HOST: z.string().default('127.0.0.1'),
	// adapter-node's own: it listens on a Unix socket, or on the socket systemd passes, not HOST:PORT
	SOCKET_PATH: z.string().optional(),
	LISTEN_FDS: int(0, 1024).optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	CLICKHOUSE_URL: optionalUrl,
	CLICKHOUSE_USER: z.string().default('default'),
	CLICKHOUSE_PASSWORD: z.string().default(''),
	CLICKHOUSE_DATABASE: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
		.default('edu'),
	// a ClickHouse cluster (remote_servers): migrations become ON CLUSTER, Replicated, Distributed
	CLICKHOUSE_CLUSTER: z
		.string()
		.regex(/^[A-Za-z0-9_.-]+$/, 'must be a cluster name of remote_servers')
		.optional(),
	NATS_URL: natsServers,
	// replicas of the JetStream streams (3 on a three-node cluster); applied when ingest or the feed
	// starts. Unset: a new stream gets 1, an existing one keeps what it has.
	NATS_STREAM_REPLICAS: int(1, 5).optional(),
	NATS_STREAM: z
		.string()
		.regex(/^[A-Za-z0-9_-]+$/)
		.default('EDU'),
	NATS_CONSUMER: z
		.string()
		.regex(/^[A-Za-z0-9_-]+$/)
		.default('ingest'),
	INGEST_BATCH_SIZE: int(1, 100_000).default(5000),
	INGEST_FLUSH_MS: int(1, 60_000).default(50),
	INGEST_ACK_WAIT_MS: int(1000, 3_600_000).default(30_000),
	// skip the raw-table lookup for a live event JetStream proves new (ingest/pipeline.ts); the
	// proof assumes one ingest worker per consumer: set 0 when several share it
	INGEST_PROVE_NEW: bool.default(true),
	// with INGEST_PROVE_NEW: the raw rows' event ids of this many minutes of event time held in
	// memory, so a backlog's events are looked up only when they may be stored (0: off)
	INGEST_RECENT_MINUTES: int(0, 24 * 60).default(90),
	// test only (honoured when NODE_ENV=test): SIGKILL ingest at a named point, the n-th time
	INGEST_CRASH_AT: z
		.string()
		.regex(/^[a-z-]+(:\d+)?$/, 'must be <point>[:n]')
		.optional(),
	NODE_ENV: z.string().optional(),
	FEED: bool.optional(),
	FEED_CLOCK: z.enum(['demo', 'real']).default('demo'),
	FEED_SPEED: z.coerce.number().min(1).max(10_000).default(1),
	FEED_SEED: int(0, 2 ** 31).default(83),
	FEED_BACKFILL_MINUTES: int(0, 24 * 60).default(30),
	FEED_HISTORY_DAYS: int(0, 30).default(28),
	WALL_STALE_SECONDS: int(5, 24 * 3600).default(90),
	LIVE_TICK_MS: int(100, 60_000).default(500),
	// the demo city at this many schools (the seed's 467 plus generated ones; docs/scale.md)
	REGISTRY_SCHOOLS: int(1, 100_000).optional(),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	DATABASE_URL: z
		.string()
		.trim()
		.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
		.optional(),
	ADMIN_EMAIL: z.email().optional(),
	ADMIN_PASSWORD: z.string().min(10).optional(),
	ALERT_EVERY_SECONDS: int(5, 3600).default(30),
	// notifications: the SMTP server (smtp:// or smtps://, credentials in the URL), the sender,
	// the address people open (links in emails and pushes), how often the outbox is worked
	SMTP_URL: z
		.string()
		.trim()
		.regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
		.optional(),
	NOTIFY_FROM: z
		.string()
		.trim()
		.regex(/^[^<>\r\n]*<?[^@\s<>]+@[^@\s<>]+>?$/, 'must be an address, optionally "Name <addr>"')
		.default('Trung tâm điều hành GD Cần Thơ <canhbao@localhost.localdomain>'),
	ORIGIN: optionalUrl,
	NOTIFY_EVERY_MS: int(100, 600_000).default(2000),
	// the city IOC's origins allowed to frame /embed/... (space or comma separated)
	EMBED_ORIGINS: z
		.string()
		.transform((s) => s.split(/[\s,]+/).filter(Boolean))
		.pipe(
			z.array(
				z
					.string()
					.regex(
						/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i,
						'each must be an origin like https://ioc.cantho.gov.vn'
					)
			)
		)
		.optional()
});

export type Mode = 'embedded' | 'server';

export interface Config {
	port: number;
	host: string;
	/** the HTTP server is handed a socket (SOCKET_PATH, systemd's LISTEN_FDS): no HOST:PORT to check */
	socket: boolean;
	dataDir: string;
	mode: Mode;
	clickhouse: {
		url?: string;
		user: string;
		password: string;
		database: string;
		chdbPath: string;
		/** the cluster the migrations are applied to (cluster-ddl.ts); servers only */
		cluster?: string;
	};
	nats: {
		/** NATS_URL as given (one server or a comma-separated list); unset: no NATS */
		url?: string;
		/** the servers of NATS_URL, each a URL: a client connects to any and fails over to the others */
		servers: string[];
		stream: string;
		consumer: string;
		ackWaitMs: number;
		/** the streams' replicas (NATS_STREAM_REPLICAS); unset: as they are (1 for a new stream) */
		replicas?: number;
	};
	ingest: {
		batchSize: number;
		flushMs: number;
		/** skip the raw-table lookup for what JetStream proves new (one worker per consumer) */
		proveNew: boolean;
		/** event ids of the raw rows held in memory, in ms of event time (0: none) */
		recentMs: number;
		/** test only: kill the process at this point, the n-th time it is reached (ingest/crash-points.ts) */
		crashAt?: { point: string; n: number };
	};
	feed: {
		enabled: boolean;
		clock: 'demo' | 'real';
		speed: number;
		seed: number;
		backfillMinutes: number;
		historyDays: number;
	};
	/** the seeded registry grown to this many schools (unset: the seed's ~467; docs/scale.md) */
	registry: { schools?: number };
	/** the wall: a tile or the stream silent longer than staleAfterS is stale; live topics tick every tickMs */
	wall: { staleAfterS: number; tickMs: number };
	logLevel: 'debug' | 'info' | 'warn' | 'error';
	/** the app state store: SQLite under dataDir, or PostgreSQL at databaseUrl */
	store: { databaseUrl?: string };
	/** the admin the first start creates in an empty store (a random password when not given) */
	admin: { email?: string; password?: string };
	/** origins allowed to frame the embeds (CSP frame-ancestors); none: embeds cannot be framed */
	embedOrigins: string[];
	/** the alert rules are evaluated every everyS seconds */
	alerts: { everyS: number };
	/** notifications: SMTP (none: emails fail with a message in the delivery log), the sender, links */
	notify: { smtpUrl?: string; from: string; origin: string; everyMs: number };
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Parse the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const cleaned = Object.fromEntries(
		Object.entries(env).filter(([, v]) => v !== undefined && v !== '')
	);
	const r = envSchema.safeParse(cleaned);
	if (!r.success) {
		const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
	}
	const e = r.data;
	if (e.CLICKHOUSE_CLUSTER && !e.CLICKHOUSE_URL)
		throw new ConfigError(
			'invalid configuration:\n  CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL (chDB is one process, not a cluster)'
		);
	const dataDir = path.resolve(e.DATA_DIR);
	const mode: Mode = e.CLICKHOUSE_URL ? 'server' : 'embedded';
	return {
		port: e.PORT,
		host: e.HOST,
		socket: !!e.SOCKET_PATH || !!e.LISTEN_FDS,
		dataDir,
		mode,
		clickhouse: {
			url: e.CLICKHOUSE_URL,
			user: e.CLICKHOUSE_USER,
			password: e.CLICKHOUSE_PASSWORD,
			database: e.CLICKHOUSE_DATABASE,
			chdbPath: path.join(dataDir, 'clickhouse'),
			cluster: e.CLICKHOUSE_CLUSTER
		},
		nats: {
			url: e.NATS_URL?.length ? e.NATS_URL.join(',') : undefined,
			servers: e.NATS_URL ?? [],
			stream: e.NATS_STREAM,
			consumer: e.NATS_CONSUMER,
			ackWaitMs: e.INGEST_ACK_WAIT_MS,
			replicas: e.NATS_STREAM_REPLICAS
		},
		ingest: {
			batchSize: e.INGEST_BATCH_SIZE,
			flushMs: e.INGEST_FLUSH_MS,
			proveNew: e.INGEST_PROVE_NEW,
			recentMs: e.INGEST_RECENT_MINUTES * 60_000,
			crashAt:
				e.INGEST_CRASH_AT && e.NODE_ENV === 'test'
					? {
							point: e.INGEST_CRASH_AT.split(':')[0],
							n: Number(e.INGEST_CRASH_AT.split(':')[1] ?? 1)
						}
					: undefined
		},
		// The demo feed is on by default only in the embedded mode; on servers it is its own process.
		feed: {
			enabled: e.FEED ?? mode === 'embedded',
			clock: e.FEED_CLOCK,
			speed: e.FEED_SPEED,
			seed: e.FEED_SEED,
			backfillMinutes: e.FEED_BACKFILL_MINUTES,
			historyDays: e.FEED_HISTORY_DAYS
		},
		registry: { schools: e.REGISTRY_SCHOOLS },
		wall: { staleAfterS: e.WALL_STALE_SECONDS, tickMs: e.LIVE_TICK_MS },
		logLevel: e.LOG_LEVEL,
		store: { databaseUrl: e.DATABASE_URL },
		admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD },
		embedOrigins: e.EMBED_ORIGINS ?? [],
		alerts: { everyS: e.ALERT_EVERY_SECONDS },
		notify: {
			smtpUrl: e.SMTP_URL,
			from: e.NOTIFY_FROM,
			origin: (e.ORIGIN ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
			everyMs: e.NOTIFY_EVERY_MS
		}
	};
}
