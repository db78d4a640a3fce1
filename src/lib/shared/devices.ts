/**
 * The classroom devices of a school, derived from its registry record. The registry only counts
 * devices; this gives each one a stable id, a room and a kind, so the demo feed, the school view
 * and any import agree on what `ct-916-001-d03` is without another table.
 */
import type { DeviceKind } from './contract';
import type { School } from './registry';
import { fnv1a } from './hash';

export interface DeviceInfo {
	device_id: string;
	room: string;
	device_kind: DeviceKind;
}

/** PCs per computer room before a second "Phòng tin học" is counted. */
const PCS_PER_ROOM = 45;

/**
 * Exactly `school.devices` devices, in a fixed order: one interactive board per smart room, a
 * projector or smart TV per multimedia room, a kiosk in the e-library, then PCs in the computer
 * room(s). When the rooms account for more devices than the school reports, the list is cut; when
 * fewer, the rest are PCs. Ids are `${school_id}-d01`, `-d02`, …
 */
export function devicesOf(
	school: Pick<School, 'school_id' | 'devices' | 'smart_rooms' | 'multimedia_rooms' | 'elibrary'>
): DeviceInfo[] {
	const total = Math.max(0, Math.floor(school.devices ?? 0));
	const out: Omit<DeviceInfo, 'device_id'>[] = [];
	for (let i = 1; i <= school.smart_rooms && out.length < total; i++)
		out.push({ room: `Phòng học thông minh ${i}`, device_kind: 'interactive_board' });
	// About a third of multimedia rooms got a large smart TV instead of a projector; which ones is
	// fixed per school so the same room always has the same kind.
	const h = fnv1a(school.school_id);
	for (let i = 1; i <= school.multimedia_rooms && out.length < total; i++)
		out.push({
			room: `Phòng đa phương tiện ${i}`,
			device_kind: (h + i) % 3 === 0 ? 'smart_tv' : 'projector'
		});
	if (school.elibrary && out.length < total)
		out.push({ room: 'Thư viện điện tử', device_kind: 'library_kiosk' });
	const pcs = total - out.length;
	const rooms = Math.ceil(pcs / PCS_PER_ROOM);
	for (let i = 0; i < pcs; i++)
		out.push({
			room: rooms > 1 ? `Phòng tin học ${Math.floor(i / PCS_PER_ROOM) + 1}` : 'Phòng tin học',
			device_kind: 'pc'
		});
	return out.map((d, i) => ({
		device_id: `${school.school_id}-d${String(i + 1).padStart(2, '0')}`,
		...d
	}));
}
