/**
 * What the simulator takes and gives: the registry, the options, the events.
 */
import type { EduEventInput, TelemetryKind } from '#shared/contract';
import type { Area, School } from '#shared/registry';

export interface SimRegistry {
	schools: School[];
	/** when given, districts with `kind: 'rural'` are rural; otherwise RURAL_DISTRICTS */
	areas?: Area[];
}
export interface SimOptions {
	seed?: number;
	/** only these kinds (default: all telemetry kinds) */
	kinds?: readonly TelemetryKind[];
}
export interface SimEvent {
	subject: string;
	event: EduEventInput;
}
