/** The registry in memory: validation looks schools up on every message, the app on every view. */
import type { SchoolLookup } from '../../../shared/contract';
import type { Area, Registry, School } from '../../../shared/registry';
import type { CH } from '../clickhouse/client';
import { loadRegistry } from './store';

export class RegistryCache implements SchoolLookup {
	private schoolsById = new Map<string, School>();
	private current: Registry = { areas: [], schools: [] };
	loadedAt = 0;

	constructor(private readonly ch: CH) {}

	async reload(): Promise<void> {
		this.set(await loadRegistry(this.ch));
	}

	set(reg: Registry): void {
		this.current = reg;
		this.schoolsById = new Map(reg.schools.map((s) => [s.school_id, s]));
		this.loadedAt = Date.now();
	}

	/** Apply created/changed schools (registry events) without a reload. */
	upsertSchools(schools: School[]): void {
		for (const s of schools) this.schoolsById.set(s.school_id, s);
		this.current = {
			areas: this.current.areas,
			schools: [...this.schoolsById.values()].sort((a, b) => a.school_id.localeCompare(b.school_id))
		};
	}

	districtOf(schoolId: string): string | undefined {
		return this.schoolsById.get(schoolId)?.area_id;
	}

	school(id: string): School | undefined {
		return this.schoolsById.get(id);
	}

	get registry(): Registry {
		return this.current;
	}

	/** Areas at a level (e.g. the districts the wall shows). */
	areasAt(level: Area['level']): Area[] {
		return this.current.areas.filter((a) => a.level === level);
	}
}
