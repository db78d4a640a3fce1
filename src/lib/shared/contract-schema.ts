/** JSON Schema of the contract for school-system vendors, generated from the zod schemas. */
import { z } from 'zod';
import { EVENT_KINDS, eventSchemas, SCHEMA_VERSION, type EventKind } from './contract';
import { examples } from './contract-examples';

/** File name → content of everything published under /contract/v1/. */
export function contractFiles(): Record<string, string> {
	const files: Record<string, string> = {};
	const index: Record<string, unknown> = {
		title: 'Cần Thơ education events — contract v1',
		schema_version: SCHEMA_VERSION,
		subjects:
			'edu.v1.<kind>.<district>.<school> on NATS JetStream; one JSON object per message, UTF-8, at most 16 KiB',
		notes: [
			'Counts only: no student or staff names or identifiers. Unknown fields are refused.',
			'event_id must be unique per event; a redelivered event_id is counted once.',
			'ts is when it happened at the source, ISO 8601 with a time zone; more than 5 minutes in the future (or after the message was sent) is refused.',
			'attendance: present + absent_excused + absent_unexcused = enrolled.',
			'Refused messages go to edu.v1.dlq.<reason> with headers Edu-Reason and Edu-Detail.'
		],
		kinds: {} as Record<string, { schema: string; example: string }>
	};
	for (const kind of EVENT_KINDS) {
		const schema = z.toJSONSchema(eventSchemas[kind as EventKind], {
			io: 'input',
			unrepresentable: 'any'
		});
		files[`${kind}.schema.json`] =
			JSON.stringify(
				{ $id: `/contract/v1/${kind}.schema.json`, title: `edu.v1 ${kind} event`, ...schema },
				null,
				2
			) + '\n';
		files[`${kind}.example.json`] = JSON.stringify(examples[kind], null, 2) + '\n';
		(index.kinds as Record<string, unknown>)[kind] = {
			schema: `${kind}.schema.json`,
			example: `${kind}.example.json`
		};
	}
	files['index.json'] = JSON.stringify(index, null, 2) + '\n';
	return files;
}
