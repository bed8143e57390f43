-- Why: password_hash took a value of any size (the column is text), so one sign-up could store megabytes that every
-- login lookup then reads. Argon2id and bcrypt hashes in their standard encodings are under 200 characters; 255
-- leaves room for longer parameters and stays far below anything that costs. Added NOT VALID;
-- 20261126110900 validates the rows already there.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER TABLE app.users ADD CONSTRAINT users_password_hash_check CHECK (char_length(password_hash) <= 255) NOT VALID;

-- migrate:down
ALTER TABLE app.users DROP CONSTRAINT users_password_hash_check;
