-- Why: days_of_week was only checked to contain nothing but ISO days 1-7, so '{1,1,1,...}' with millions of entries
-- (or a two-dimensional array) passed. A week has seven days: the array must be one-dimensional, hold at most seven
-- entries, and hold each day once. Written without a helper function: a function in a CHECK needs EXECUTE for every
-- writing role. Added NOT VALID; 20261126110900 validates the rows already there.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER TABLE app.habits ADD CONSTRAINT habits_days_distinct_check CHECK (
    array_ndims(days_of_week) = 1 AND cardinality(days_of_week) <= 7
    AND cardinality(array_positions(days_of_week, 1::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 2::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 3::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 4::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 5::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 6::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 7::smallint)) <= 1
) NOT VALID;

-- migrate:down
ALTER TABLE app.habits DROP CONSTRAINT habits_days_distinct_check;
