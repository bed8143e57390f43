"""The comparison itself, without a database: every kind of difference is found and named, both ways."""
import copy
import unittest

from metacortex_models import UNMAPPED_TABLES, metadata
from metacortex_models.schema_check import ColumnShape, TableShape, compare, models_schema


class CompareTest(unittest.TestCase):
    def setUp(self):
        self.models = models_schema(metadata)
        self.database = copy.deepcopy(self.models)

    def differences(self):
        return [str(d) for d in compare(self.database, self.models)]

    def test_identical_shapes_have_no_difference(self):
        self.assertEqual(self.differences(), [])

    def test_a_changed_type_names_the_column_and_both_types(self):
        column = self.database["app.tasks"].columns["title"]
        self.database["app.tasks"].columns["title"] = ColumnShape("character varying(500)", column.nullable)
        self.assertEqual(
            self.differences(),
            ["app.tasks.title: type is character varying(500) in the database, text in the models"],
        )

    def test_nullability_default_and_generated_expression_are_compared(self):
        tasks = self.database["app.tasks"].columns
        tasks["description"] = ColumnShape("text", nullable=False)
        tasks["priority"] = ColumnShape("smallint", nullable=False, default="2")
        tasks["search"] = ColumnShape("tsvector", nullable=True, generated="to_tsvector('simple'::regconfig, title)")
        self.assertEqual(
            self.differences(),
            [
                "app.tasks.description: NOT NULL in the database, NULL in the models",
                "app.tasks.priority: server default is 2 in the database, 3 in the models",
                "app.tasks.search: generated expression is to_tsvector('simple'::regconfig, title) in the database, "
                + "(setweight(to_tsvector('simple'::regconfig, COALESCE(title, ''::text)), 'A'::char) || "
                + "setweight(to_tsvector('simple'::regconfig, COALESCE(description, ''::text)), 'B'::char)) "
                + "in the models",
            ],
        )

    def test_missing_and_extra_objects_are_named_on_their_side(self):
        del self.database["app.note_tags"]
        self.database["app.notes"].columns["archived"] = ColumnShape("boolean", True)
        del self.database["app.tasks"].constraints["tasks_parent_fkey"]
        extra = "CREATE INDEX tags_color_idx ON app.tags USING btree (color)"
        self.database["app.tags"].indexes["tags_color_idx"] = extra
        self.assertEqual(
            self.differences(),
            [
                "app.note_tags: table is in the models, not in the database",
                "app.notes.archived: column is in the database, not in the models",
                "app.tags index tags_color_idx: index is in the database, not in the models: " + extra,
                "app.tasks constraint tasks_parent_fkey: constraint is in the models, not in the database: "
                + "FOREIGN KEY (user_id, parent_id) REFERENCES app.tasks(user_id, id) ON DELETE SET NULL (parent_id)",
            ],
        )

    def test_only_the_listed_unmapped_tables_are_left_out(self):
        maintenance = TableShape(columns={"parent_table": ColumnShape("text", False)})
        self.database["app.partition_maintenance"] = maintenance
        self.assertEqual(compare(self.database, self.models, unmapped=UNMAPPED_TABLES), [])
        # A new table the backend uses has no model yet: still a difference, whatever the list says.
        self.database["app.reminders"] = TableShape(columns={"id": ColumnShape("uuid", False)})
        self.assertEqual(
            [str(d) for d in compare(self.database, self.models, unmapped=UNMAPPED_TABLES)],
            ["app.reminders: table is in the database, not in the models"],
        )
        # Without the list, the maintenance table is a difference like any other.
        self.assertIn(
            "app.partition_maintenance: table is in the database, not in the models", self.differences()
        )

    def test_an_out_of_date_list_of_unmapped_tables_is_a_difference(self):
        unmapped = {"app.tags": "listed, yet mapped", "app.dropped": "listed, yet gone from the database"}
        self.assertEqual(
            [str(d) for d in compare(self.database, self.models, unmapped=unmapped)],
            [
                "app.dropped: table is on the list of unmapped tables, not in the database",
                "app.tags: table is in the models and on the list of unmapped tables",
            ],
        )

    def test_a_changed_index_predicate_or_foreign_key_action_shows_both_definitions(self):
        tasks = self.database["app.tasks"]
        tasks.indexes["tasks_status_priority_cover_idx"] = tasks.indexes["tasks_status_priority_cover_idx"].replace(
            " INCLUDE (title)", ""
        )
        tasks.constraints["tasks_user_fkey"] = "FOREIGN KEY (user_id) REFERENCES app.users(id)"
        found = self.differences()
        self.assertEqual(len(found), 2, found)
        self.assertTrue(found[0].startswith("app.tasks constraint tasks_user_fkey: differs\n"), found[0])
        self.assertIn("database: FOREIGN KEY (user_id) REFERENCES app.users(id)\n", found[0])
        self.assertIn("models: FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE", found[0])
        self.assertTrue(found[1].startswith("app.tasks index tasks_status_priority_cover_idx: differs"), found[1])

    def test_partitioning_is_compared(self):
        self.database["app.habit_checkins"].partition_by = None
        self.assertEqual(
            self.differences(),
            ["app.habit_checkins: partitioned by (nothing) in the database, RANGE (checked_at) in the models"],
        )

    def test_quoting_and_whitespace_are_not_differences(self):
        index = self.database["app.tasks"].indexes["tasks_parent_idx"]
        self.database["app.tasks"].indexes["tasks_parent_idx"] = index.replace("position", '"position"').replace(
            " USING", "   USING"
        )
        self.assertEqual(self.differences(), [])
