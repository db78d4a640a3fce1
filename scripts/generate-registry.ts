/**
 * Generates the embedded seed registry (areas + 467 schools) for Cần Thơ, deterministically.
 *
 *   npx tsx scripts/generate-registry.ts
 *
 * Development-time only. Reads ../shared/data (plan-83.json and geo/), writes
 * src/lib/server/platform/registry/seed/{areas,schools}.json and copies the map layers into static/geo/.
 * Real: the plan-83 units' names, wards, levels and e-library years, district names/codes/shapes.
 * Synthetic: every position, and everything about the other schools (see seed/README.md).
 * No Math.random, no clock: every draw comes from mulberry32 seeded by a hash of a fixed key.
 * The steps live in scripts/registry/ (main.ts runs them in order).
 */
import { generateRegistry } from './registry/main';

generateRegistry();
