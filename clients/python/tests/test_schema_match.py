"""The models match the migrated database exactly (test/backend/models.test.ts migrates it with sql/migrations)."""
import unittest

from metacortex_models import MODELS, UNMAPPED_TABLES, metadata
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

    def test_every_table_of_the_schema_is_mapped_or_listed_as_unmapped_with_a_reason(self):
        with self.engine.connect() as connection:
            shape = read_schema(connection, ["app"])
        mapped = {table.fullname for table in metadata.sorted_tables}
        self.assertEqual(mapped, {model.__table__.fullname for model in MODELS})
        # A table the backend uses but the models lack appears here, in neither set.
        self.assertEqual(sorted(shape), sorted(mapped | set(UNMAPPED_TABLES)))
        self.assertFalse(mapped & set(UNMAPPED_TABLES))
        self.assertTrue(all(reason.strip() for reason in UNMAPPED_TABLES.values()))
        # Partitions (habit_checkins_p2026_11, ..., _default) are folded into their parent, views are left out.
        self.assertTrue(all("_p20" not in name and not name.endswith("_default") for name in shape), sorted(shape))
        self.assertEqual(shape["app.habit_checkins"].partition_by, "RANGE (checked_at)")

    def test_the_session_time_zone_and_styles_do_not_change_the_result(self):
        # Constants in CHECKs (the check-in window's timestamptz and interval) print in the session's settings.
        with self.engine.connect() as connection:
            connection.exec_driver_sql(
                "SET TimeZone = 'Pacific/Chatham'; SET IntervalStyle = 'iso_8601'; SET DateStyle = 'SQL, DMY'"
            )
            connection.commit()
            window = connection.exec_driver_sql(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conname = 'habit_checkins_checked_at_window_check' AND conrelid = 'app.habit_checkins'::regclass"
            ).scalar_one()
            connection.commit()
            self.assertNotIn("2000-01-01 00:00:00+00", window, "precondition: the session prints it differently")
            self.assertEqual(check(connection), [])
