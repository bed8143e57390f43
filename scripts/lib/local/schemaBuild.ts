/** Builds the canonical schema from nothing (throwaway cluster, role model, every migration) and dumps it. */
import { dbmate, dumpSchema } from "./migrations";
import { databaseWithRoles } from "./throwaway";

export async function buildSchemaDump(): Promise<string> {
    const db = await databaseWithRoles();
    try {
        await dbmate(db.url("migrator"), "migrate");
        return await dumpSchema(db.url("admin"));
    } finally {
        await db.cluster.destroy();
    }
}
