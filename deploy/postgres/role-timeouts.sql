-- Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d).
-- Every session of the application's role starts with the pool's timeouts (DB_STATEMENT_TIMEOUT_MS,
-- DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, defaults): through PgBouncer the pool then finds them in
-- pg_settings at start and no transaction has to set them. Change both places together.
ALTER ROLE agora IN DATABASE agora SET statement_timeout = 30000;
ALTER ROLE agora IN DATABASE agora SET idle_in_transaction_session_timeout = 60000;
