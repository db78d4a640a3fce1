/**
 * The wall as a kiosk that runs by itself: a clock ticking every second, the rotation through
 * its stops (each shown for its dwell, paused after someone touches the screen), a tapped
 * school's card that closes itself on an unattended wall, and the burn-in shift of the page.
 */
import { PAUSE_ON_INTERACTION_S } from '$lib/shared/kiosk';

/** The burn-in shift's positions, in steps of a pixel or two: the origin, then around it. */
const SHIFTS = [
	[0, 0],
	[1, 0],
	[1, 1],
	[0, 1],
	[-1, 1],
	[-1, 0],
	[-1, -1],
	[0, -1],
	[1, -1]
];
const SHIFT_EVERY_MS = 120_000;
/** a school's card closes after this, so an unattended wall returns to its clean state */
const PICK_CLOSE_MS = 30_000;

export class Kiosk {
	/** local time, every second: the wall's clock and what ages are measured against */
	now = $state(Date.now());
	/** the stop in focus (an index into `stops`) */
	stop = $state(0);
	/** the rotation waits until then (someone touched the screen) */
	pausedUntil = $state(0);
	/** a school tapped on the map: its card */
	picked = $state<string | null>(null);
	shiftIndex = $state(0);
	/** the rotation's stops ('city' or district ids); null when not rotating */
	readonly stops: string[] | null;
	private readonly dwellMs: number;
	private nextAt: number;
	private pickedAt = 0;

	constructor(opts: { rotate: string[] | null; dwellS: number }) {
		this.stops = opts.rotate;
		this.dwellMs = opts.dwellS * 1000;
		this.nextAt = Date.now() + this.dwellMs;
	}

	/** the area in focus: the rotation's stop, or the city */
	get focus(): string {
		return this.stops ? this.stops[this.stop] : 'city';
	}

	/** seconds until the rotation resumes; null while it runs */
	get pausedS(): number | null {
		return this.pausedUntil > this.now ? Math.ceil((this.pausedUntil - this.now) / 1000) : null;
	}

	/** Someone handles the wall: the rotation pauses. */
	interact(): void {
		this.pausedUntil = Date.now() + PAUSE_ON_INTERACTION_S * 1000;
	}

	/** Show a school's card (null closes it). */
	pick(id: string | null): void {
		this.picked = id;
		if (id !== null) this.pickedAt = Date.now();
	}

	/** The page's burn-in offset for the root font size `scale` (px per rem), as a CSS transform. */
	transform(scale: number): string {
		const px = Math.max(1, Math.round(scale / 8));
		const [x, y] = SHIFTS[this.shiftIndex];
		return `translate(${x * px}px, ${y * px}px)`;
	}

	/** Start the clock, the rotation and the shift, and listen for a touch or a key; returns the stop. */
	start(): () => void {
		const tick = setInterval(() => this.tick(), 1000);
		const shift = setInterval(
			() => (this.shiftIndex = (this.shiftIndex + 1) % SHIFTS.length),
			SHIFT_EVERY_MS
		);
		const onAny = () => this.interact();
		window.addEventListener('pointerdown', onAny, { passive: true });
		window.addEventListener('keydown', onAny);
		return () => {
			clearInterval(tick);
			clearInterval(shift);
			window.removeEventListener('pointerdown', onAny);
			window.removeEventListener('keydown', onAny);
		};
	}

	private tick(): void {
		const now = (this.now = Date.now());
		if (this.picked && now - this.pickedAt > PICK_CLOSE_MS) this.picked = null;
		if (this.stops && now >= this.pausedUntil && now >= this.nextAt) {
			this.stop = (this.stop + 1) % this.stops.length;
			this.nextAt = now + this.dwellMs;
		}
	}
}
