/**
 * EXPLAIN (ANALYZE, BUFFERS) of every canonical query on a seeded throwaway database, as the app role: the evidence
 * behind each index in docs/schema.md (`npm run bench -- plans` rewrites the marked section there).
 */
import type { Client } from "pg";
import { parametersFor, PARAMETER_SQL, QUERIES, type QueryParameters } from "../../../postgres/queries";
import { dbmate } from "../local/migrations";
import { loadSeed } from "../seed/load";
import { TABLES } from "../seed/generator";
import { databaseWithRoles, type RoleDatabase } from "../local/throwaway";

type Seeded = { users: number; tasks: number; habit_checkins: number };

/** Seeds and analyzes the database, and picks the busiest user with check-ins and tags, with its query parameters. */
async function seedForPlans(
    db: RoleDatabase,
    users: number,
    tasksPerUser: number,
    progress: (line: string) => void,
): Promise<{ counts: Seeded; params: QueryParameters }> {
    const asOf = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    progress(`plans: seeding ${users} users x ~${tasksPerUser} tasks`);
    const { counts } = await loadSeed(db.cluster.connection(), {
        users,
        tasksPerUser,
        checkinDays: 90,
        asOf,
        seed: "plans",
    });
    for (const t of Object.keys(TABLES)) await db.cluster.query(`VACUUM (ANALYZE) app.${t}`);
    const [user] = await db.cluster.query(`SELECT t.user_id FROM app.tasks t
            WHERE EXISTS (SELECT 1 FROM app.habit_checkins c WHERE c.user_id = t.user_id) AND EXISTS (SELECT 1 FROM app.task_tags x WHERE x.user_id = t.user_id)
            GROUP BY t.user_id ORDER BY count(*) DESC LIMIT 1`);
    const [p] = await db.cluster.query(PARAMETER_SQL, [user.user_id]);
    const params = {
        userId: user.user_id,
        tagId: p.tag_id,
        parentId: p.parent_id,
        taskWord: p.task_word,
        noteWord: p.note_word,
        checkinDay: p.checkin_day.toISOString(),
    };
    return { counts, params };
}

/** Pure: one query's section of docs/schema.md: what it is for, its index, its SQL and its plan. */
export function planSection(q: (typeof QUERIES)[number], plan: readonly string[]): string[] {
    return [
        `### ${q.name}: ${q.purpose}`,
        "",
        `Index: \`${q.index}\``,
        "",
        "```sql",
        q.sql,
        "```",
        "",
        "```",
        ...plan,
        "```",
        "",
    ];
}

export async function explainPlans(
    users: number,
    tasksPerUser: number,
    progress: (line: string) => void,
): Promise<string> {
    const db = await databaseWithRoles();
    try {
        await dbmate(db.url("migrator"), "migrate");
        const { counts, params } = await seedForPlans(db, users, tasksPerUser, progress);
        const app: Client = db.client("app");
        await app.connect();
        const out: string[] = [
            `Measured with \`npm run bench -- plans\`: ${counts.users.toLocaleString("en")} users, ${counts.tasks.toLocaleString("en")} tasks, ` +
                `${counts.habit_checkins.toLocaleString("en")} check-ins (db:seed), as the app role under row-level security, for the busiest user. Timings vary run to run; the plan shapes and buffer counts are what matter.`,
            "",
        ];
        try {
            for (const q of QUERIES) {
                // The tenant holds for one transaction (app.set_tenant), as the backend sets it.
                await app.query("BEGIN");
                await app.query("SELECT app.set_tenant($1)", [params.userId]);
                const explain = `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY OFF) ${q.sql}`;
                const rows = (await app.query(explain, parametersFor(q.name, params))).rows;
                await app.query("COMMIT");
                out.push(
                    ...planSection(
                        q,
                        rows.map((r) => r["QUERY PLAN"]),
                    ),
                );
                progress(`plans: ${q.name}`);
            }
        } finally {
            await app.end();
        }
        return out.join("\n");
    } finally {
        await db.cluster.destroy();
    }
}
