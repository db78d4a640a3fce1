/** Row-level exports, streamed from ClickHouse (never collected into an array). */
import type { CH } from '../platform/clickhouse/client';
import { msParam } from '../platform/clickhouse/sql';

type ReportRow = [string, string, string, number, string, number, number, number, number];

/** Attendance reports of some schools in [from, to), oldest first, as they arrive from ClickHouse. */
export async function* attendanceReports(
	ch: CH,
	schools: readonly string[],
	from: number,
	to: number
): AsyncGenerator<ReportRow> {
	const rs = await ch.query({
		query: `SELECT formatDateTime(ts, '%Y-%m-%d %H:%i:%S', 'Asia/Ho_Chi_Minh') AS t, toString(school_id),
		               class, grade, toString(session), enrolled, present, absent_excused, absent_unexcused
		        FROM attendance_raw
		        WHERE school_id IN {schools:Array(String)} AND ts >= ${msParam('from')} AND ts < ${msParam('to')}
		        ORDER BY ts, school_id, class`,
		query_params: { schools, from, to },
		format: 'JSONCompactEachRow'
	});
	for await (const batch of rs.stream()) for (const row of batch) yield row.json() as ReportRow;
}
