/**
 * A real three-node NATS cluster with JetStream: three `nats-server` processes (n1..n3) on free
 * ports (client, route and monitoring ports), each with its own store under one temporary folder.
 * `kill(name)` SIGKILLs a node, `restart(name)` starts it again on the same ports and store.
 * Everything started ends with the run that started it (children.ts), also on a failure.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killChild, ownFolder, spawnOwned, stopChild } from './children';
import { freePort } from './nats-server';

export type NodeName = 'n1' | 'n2' | 'n3';
export const NODE_NAMES: readonly NodeName[] = ['n1', 'n2', 'n3'];

export interface ClusterNode {
	name: NodeName;
	/** `nats://127.0.0.1:<client port>` */
	url: string;
	port: number;
	routePort: number;
	/** the monitoring port (`/jsz`, `/varz`) */
	httpPort: number;
	storeDir: string;
	/** running now */
	up: boolean;
	/** the last lines the process wrote (its log), for a failure's message */
	log(): string;
}

export interface NatsCluster {
	name: string;
	nodes: Record<NodeName, ClusterNode>;
	/** every node's client URL */
	urls: string[];
	/** the comma-separated list NATS_URL takes */
	natsUrl: string;
	/** SIGKILL one node and wait until it is gone */
	kill(name: NodeName): Promise<void>;
	/** start a node again, same ports and store; resolves when it is back in the meta group */
	restart(name: NodeName): Promise<void>;
	/** the JetStream meta leader as the running nodes see it (null while there is none) */
	metaLeader(): Promise<string | null>;
	/** wait until the running nodes agree on a meta leader; returns its name */
	waitMetaLeader(timeoutMs?: number): Promise<string>;
	/** stop every node and remove the stores */
	stop(): Promise<void>;
}

const BIN =
	process.env.NATS_SERVER_BIN ??
	(process.platform === 'linux' ? '/usr/sbin/nats-server' : 'nats-server');

const LOG_KEPT = 20_000;

interface Jsz {
	server_name?: string;
	meta_cluster?: { name?: string; leader?: string; cluster_size?: number };
}

async function jsz(httpPort: number): Promise<Jsz | null> {
	const ctl = new AbortController();
	const timer = setTimeout(() => ctl.abort(), 1000);
	try {
		const r = await fetch(`http://127.0.0.1:${httpPort}/jsz`, { signal: ctl.signal });
		return r.ok ? ((await r.json()) as Jsz) : null;
	} catch {
		return null;
	} finally {
		clearTimeout(timer);
	}
}

/** Start three nodes and wait until JetStream has a meta leader. Fails loudly when nats-server is missing. */
export async function startNatsCluster(opts: { name?: string } = {}): Promise<NatsCluster> {
	const clusterName = opts.name ?? 'edu-test';
	const root = await mkdtemp(path.join(tmpdir(), 'edu-nats-cluster-'));
	const folder = ownFolder(root);
	const procs = new Map<NodeName, ChildProcess>();
	const logs = new Map<NodeName, string>();

	const nodes = {} as Record<NodeName, ClusterNode>;
	for (const name of NODE_NAMES) {
		const port = await freePort();
		const routePort = await freePort();
		const httpPort = await freePort();
		const storeDir = path.join(root, name);
		await mkdir(storeDir);
		nodes[name] = {
			name,
			url: `nats://127.0.0.1:${port}`,
			port,
			routePort,
			httpPort,
			storeDir,
			get up() {
				const p = procs.get(name);
				return !!p && p.exitCode === null && p.signalCode === null;
			},
			log: () => logs.get(name) ?? ''
		};
	}
	// one config file per node: every node lists every route (its own is ignored)
	for (const n of Object.values(nodes)) {
		const routes = Object.values(nodes)
			.map((o) => `nats-route://127.0.0.1:${o.routePort}`)
			.join(', ');
		await writeFile(
			path.join(root, `${n.name}.conf`),
			[
				`server_name: ${n.name}`,
				`listen: 127.0.0.1:${n.port}`,
				`http: 127.0.0.1:${n.httpPort}`,
				`jetstream { store_dir: "${n.storeDir}" }`,
				`cluster {`,
				`  name: ${clusterName}`,
				`  listen: 127.0.0.1:${n.routePort}`,
				`  routes: [${routes}]`,
				`}`,
				''
			].join('\n')
		);
	}

	const spawnNode = (name: NodeName): ChildProcess => {
		const proc = spawnOwned(BIN, ['-c', path.join(root, `${name}.conf`)], {
			stdio: ['ignore', 'ignore', 'pipe']
		});
		procs.set(name, proc);
		proc.stderr?.on('data', (b) => {
			const s = (logs.get(name) ?? '') + b.toString();
			logs.set(name, s.length > LOG_KEPT ? s.slice(-LOG_KEPT) : s);
		});
		return proc;
	};

	/** nodes killed on purpose (not a failure to start) */
	const killed = new Set<NodeName>();
	const running = () => NODE_NAMES.filter((n) => nodes[n].up);

	const metaLeader = async (): Promise<string | null> => {
		const seen = await Promise.all(running().map((n) => jsz(nodes[n].httpPort)));
		const leaders = new Set(seen.map((j) => j?.meta_cluster?.leader ?? ''));
		if (leaders.size !== 1) return null;
		const [leader] = leaders;
		return leader || null;
	};

	const waitMetaLeader = async (timeoutMs = 30_000): Promise<string> => {
		const end = Date.now() + timeoutMs;
		while (Date.now() < end) {
			const dead = NODE_NAMES.filter((n) => procs.has(n) && !nodes[n].up && !killed.has(n));
			if (dead.length)
				throw new Error(
					`nats-server ${dead.join(', ')} exited: ${nodes[dead[0]].log().slice(-1500)}`
				);
			const leader = await metaLeader();
			if (leader) return leader;
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(
			`no JetStream meta leader after ${timeoutMs} ms\n${running()
				.map((n) => `--- ${n}\n${nodes[n].log().slice(-800)}`)
				.join('\n')}`
		);
	};

	const stop = async () => {
		await Promise.all([...procs.values()].map((p) => stopChild(p, 5000)));
		folder.release();
	};

	const startError = (proc: ChildProcess, name: NodeName) =>
		new Promise<never>((_, reject) => {
			proc.once('error', (e) =>
				reject(new Error(`cannot start ${BIN}: ${e.message} (apt-get install -y nats-server)`))
			);
			proc.once('exit', (code) =>
				reject(
					new Error(`nats-server ${name} exited with ${code}: ${nodes[name].log().slice(-800)}`)
				)
			);
		});

	try {
		const exits = NODE_NAMES.map((n) => startError(spawnNode(n), n));
		for (const e of exits) e.catch(() => undefined);
		await Promise.race([waitMetaLeader(60_000), ...exits]);
	} catch (error) {
		await stop();
		throw error;
	}

	return {
		name: clusterName,
		nodes,
		urls: NODE_NAMES.map((n) => nodes[n].url),
		natsUrl: NODE_NAMES.map((n) => nodes[n].url).join(','),
		async kill(name) {
			const p = procs.get(name);
			killed.add(name);
			if (p) await killChild(p);
		},
		async restart(name) {
			if (nodes[name].up) throw new Error(`${name} is running`);
			killed.delete(name);
			const exited = startError(spawnNode(name), name);
			exited.catch(() => undefined);
			await Promise.race([
				(async () => {
					// back when it answers on its monitoring port and sees the same meta leader as the others
					const end = Date.now() + 30_000;
					while (Date.now() < end) {
						const j = await jsz(nodes[name].httpPort);
						if (j?.meta_cluster?.leader && (await metaLeader())) return;
						await new Promise((r) => setTimeout(r, 100));
					}
					throw new Error(`${name} did not rejoin the cluster: ${nodes[name].log().slice(-1500)}`);
				})(),
				exited
			]);
		},
		metaLeader,
		waitMetaLeader,
		stop
	};
}
