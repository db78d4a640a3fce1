/**
 * Pieces the benches share: percentiles and `say` (every bench), and for the live ones
 * (bench/wall.ts, bench/scale.ts) the app's CPU and memory from /proc and SSE screens that record
 * each `wall.kpis` frame's `seq` and arrival.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

export const say = (s: string) => console.log(s);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The p-th percentile (nearest rank); NaN for no samples. */
export function pct(xs: number[], p: number): number {
	if (xs.length === 0) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** CPU ticks (utime + stime, 100 per second) and resident memory of a process, from /proc. */
export function procReader(pid: number): { cpuTicks(): number; rssMb(): number; HZ: number } {
	return {
		HZ: 100,
		cpuTicks() {
			const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			return Number(f[11]) + Number(f[12]);
		},
		rssMb() {
			try {
				const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
				return m ? Number(m[1]) / 1024 : 0;
			} catch {
				return 0;
			}
		}
	};
}

/** Peak RSS of a process, sampled every 500 ms until stop(). */
export function rssPeak(pid: number): { peak(): number; now(): number; stop(): void } {
	const r = procReader(pid);
	let max = r.rssMb();
	const timer = setInterval(() => (max = Math.max(max, r.rssMb())), 500);
	return { peak: () => max, now: () => r.rssMb(), stop: () => clearInterval(timer) };
}

export interface SseClient {
	frames: number;
	bytes: number;
	/** arrival time of each frame carrying a seq, with that seq */
	seen: { t: number; seq: number }[];
	closed: boolean;
	req: http.ClientRequest;
}

/** One SSE screen on `url` (the hub's frames; full values and patches both carry `"seq":`). */
export function openSseClient(url: string, cookie: string, agent: http.Agent): Promise<SseClient> {
	return new Promise((resolve, reject) => {
		const c = { frames: 0, bytes: 0, seen: [], closed: false } as unknown as SseClient;
		c.req = http.get(url, { agent, headers: { cookie } }, (res) => {
			if (res.statusCode !== 200) return reject(new Error(`SSE status ${res.statusCode}`));
			res.setEncoding('utf8');
			let buf = '';
			res.on('data', (chunk: string) => {
				c.bytes += chunk.length;
				buf += chunk;
				let end: number;
				while ((end = buf.indexOf('\n\n')) >= 0) {
					const frame = buf.slice(0, end);
					buf = buf.slice(end + 2);
					if (!frame.startsWith('id:')) continue;
					c.frames++;
					const m = /"seq":(\d+)/.exec(frame);
					if (m) c.seen.push({ t: Date.now(), seq: Number(m[1]) });
				}
			});
			res.on('close', () => (c.closed = true));
			resolve(c);
		});
		c.req.on('error', reject);
	});
}

/** `n` SSE screens, opened 50 at a time. */
export async function openSseClients(
	url: string,
	cookie: string,
	n: number,
	agent: http.Agent,
	into: SseClient[] = []
): Promise<SseClient[]> {
	for (let i = 0; i < n; i += 50)
		into.push(
			...(await Promise.all(
				Array.from({ length: Math.min(50, n - i) }, () => openSseClient(url, cookie, agent))
			))
		);
	return into;
}

/**
 * Publish → frame delays: for each probe (the first `seq` that covers it, published at `at`), the
 * time until each client saw a frame with a seq at least that; probes a client never saw are missed.
 */
export function deliveryDelays(
	clients: SseClient[],
	probes: { seq: number; at: number }[]
): { lat: number[]; missed: number } {
	const lat: number[] = [];
	let missed = 0;
	for (const c of clients) {
		let j = 0;
		for (const p of probes) {
			while (j < c.seen.length && c.seen[j].seq < p.seq) j++;
			if (j < c.seen.length) lat.push(c.seen[j].t - p.at);
			else missed++;
		}
	}
	return { lat, missed };
}

/**
 * GET a JSON answer on a fresh connection: a pooled keep-alive socket that a busy server closed
 * (its event loop held for seconds, then its keep-alive timer fired) resets the request on it.
 */
export function getJson<T>(url: string, cookie: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { agent: false, headers: { cookie }, timeout: 30_000 }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (c: string) => (body += c));
			res.on('end', () => {
				try {
					resolve(JSON.parse(body) as T);
				} catch (error) {
					reject(error);
				}
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', reject);
	});
}
