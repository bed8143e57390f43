-- Why: titles and names had only a length check, so '   ' (or a no-break or zero-width space) passed as a task title,
-- a habit or tag name, or a display name, and shows as nothing in every list. Each must now hold at least one visible
-- character. The regular expression lists the Unicode spaces and invisible characters itself: under the C.UTF-8
-- ctype [[:space:]] matches ASCII whitespace only. A note's title may still be empty (its default; the body carries
-- the note), just not blank. Added NOT VALID; 20261126110900 validates the rows already there.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER TABLE app.tasks ADD CONSTRAINT tasks_title_not_blank_check
    CHECK (title ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.notes ADD CONSTRAINT notes_title_not_blank_check
    CHECK (title = '' OR title ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.tags ADD CONSTRAINT tags_name_not_blank_check
    CHECK (name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.habits ADD CONSTRAINT habits_name_not_blank_check
    CHECK (name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.users ADD CONSTRAINT users_display_name_not_blank_check
    CHECK (display_name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;

-- migrate:down
ALTER TABLE app.users DROP CONSTRAINT users_display_name_not_blank_check;
ALTER TABLE app.habits DROP CONSTRAINT habits_name_not_blank_check;
ALTER TABLE app.tags DROP CONSTRAINT tags_name_not_blank_check;
ALTER TABLE app.notes DROP CONSTRAINT notes_title_not_blank_check;
ALTER TABLE app.tasks DROP CONSTRAINT tasks_title_not_blank_check;
