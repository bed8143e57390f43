"""The models match the migrated database exactly (test/backend/models.test.ts migrates it with sql/migrations)."""
import unittest

from metacortex_models.schema_check import check, read_schema

from .support import admin_engine


class SchemaMatchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = admin_engine()

    @classmethod
    def tearDownClass(cls):
        cls.engine.dispose()

    def test_models_and_migrated_database_have_no_difference(self):
        with self.engine.connect() as connection:
            differences = check(connection)
        self.assertEqual(differences, [], "\n" + "\n".join(map(str, differences)))

    def test_the_comparison_reads_every_table_of_the_schema(self):
        with self.engine.connect() as connection:
            shape = read_schema(connection, ["app"])
        # Partitions (habit_checkins_p2026_11, ..., _default) are folded into their parent, views are left out.
        self.assertEqual(len(shape), 8, sorted(shape))
        self.assertTrue(all("_p20" not in name and not name.endswith("_default") for name in shape), sorted(shape))
        self.assertEqual(shape["app.habit_checkins"].partition_by, "RANGE (checked_at)")
