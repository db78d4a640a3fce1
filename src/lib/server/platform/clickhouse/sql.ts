/** Pieces of SQL text that every reader writes the same way (values are always bound parameters). */

/**
 * A moment bound as a parameter: `{name:Int64}` milliseconds since the epoch, as a UTC DateTime64.
 * Pass the number under the same name in the query's params.
 */
export const msParam = (name: string) => `fromUnixTimestamp64Milli({${name}:Int64}, 'UTC')`;
