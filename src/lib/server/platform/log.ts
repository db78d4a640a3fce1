/** Structured logs: one JSON line per event, with a level. No secrets: callers pass fields, not configs. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: Level = 'info';

export function setLogLevel(level: Level): void {
	threshold = level;
}

export interface Logger {
	debug(msg: string, fields?: Record<string, unknown>): void;
	info(msg: string, fields?: Record<string, unknown>): void;
	warn(msg: string, fields?: Record<string, unknown>): void;
	error(msg: string, fields?: Record<string, unknown>): void;
}

function errorFields(v: unknown): unknown {
	if (v instanceof Error)
		return {
			name: v.name,
			message: v.message,
			...(v.cause ? { cause: errorFields(v.cause) } : {})
		};
	return v;
}

/** A logger for one component; `fields` are added to every line. */
export function logger(component: string, base: Record<string, unknown> = {}): Logger {
	const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
		if (order[level] < order[threshold]) return;
		const f = fields
			? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, errorFields(v)]))
			: {};
		const line = JSON.stringify({
			t: new Date().toISOString(),
			level,
			component,
			msg,
			...base,
			...f
		});
		(level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
	};
	return {
		debug: (m, f) => write('debug', m, f),
		info: (m, f) => write('info', m, f),
		warn: (m, f) => write('warn', m, f),
		error: (m, f) => write('error', m, f)
	};
}
