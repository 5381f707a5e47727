-- Offboard reference server schema. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Booleans are BIGINT 0/1 and times RFC 3339 UTC TEXT, so the sqlx Any driver decodes them the
-- same way on both.

CREATE TABLE users (
    user_id           TEXT PRIMARY KEY,
    td_id             BIGINT NOT NULL UNIQUE,
    email             TEXT NOT NULL UNIQUE,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    enabled           BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    account_role      TEXT NOT NULL CHECK (account_role IN ('owner', 'admin', 'restricted')),
    scim_managed      BIGINT NOT NULL CHECK (scim_managed IN (0, 1)),
    identity_provider TEXT,
    attributes        TEXT NOT NULL,
    created_on        TEXT NOT NULL,
    updated_on        TEXT NOT NULL,
    last_access_on    TEXT
);

CREATE TABLE roles (
    role_id     TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE role_permissions (
    role_id    TEXT NOT NULL REFERENCES roles (role_id),
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

-- "groups" is a keyword in both databases' window-function syntax.
CREATE TABLE access_groups (
    group_id    TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    role_id     TEXT NOT NULL REFERENCES roles (role_id)
);

CREATE TABLE memberships (
    user_id  TEXT NOT NULL REFERENCES users (user_id),
    group_id TEXT NOT NULL REFERENCES access_groups (group_id),
    PRIMARY KEY (user_id, group_id)
);
CREATE INDEX memberships_by_group ON memberships (group_id);

-- Only the SHA-256 hex of a secret is stored; TD authentication looks keys up by it.
CREATE TABLE api_keys (
    access_key  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (user_id),
    key_type    TEXT NOT NULL CHECK (key_type IN ('MASTER', 'WRITE_ONLY')),
    secret_hash TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    valid_till  TEXT
);
CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at, access_key);

-- A pipeline's owner is an email, so pipelines keep it when the user is removed.
CREATE TABLE pipelines (
    id          BIGINT PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_email TEXT NOT NULL
);
CREATE INDEX pipelines_by_owner ON pipelines (owner_email);

-- Append-only, hash-chained. seq is unique, so a second writer with a stale head fails instead
-- of forking the chain. No foreign keys: events outlive the users and keys they name.
CREATE TABLE audit_events (
    seq            BIGINT PRIMARY KEY,
    occurred_at    TEXT NOT NULL,
    actor_user_id  TEXT NOT NULL,
    actor_key      TEXT NOT NULL,
    dialect        TEXT NOT NULL,
    action         TEXT NOT NULL,
    target_user_id TEXT,
    subject        TEXT,
    outcome        TEXT NOT NULL,
    status         BIGINT NOT NULL,
    detail         TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_events_by_target ON audit_events (target_user_id, seq);
