-- Tenant service schema: organisations, users, service principals, refresh tokens, signing keys.
-- Flyway takes a PostgreSQL advisory lock while migrating, so replicas starting together on an
-- empty database apply each migration exactly once.

-- One row once the installation has been bootstrapped; its primary key makes a second
-- bootstrap fail even when two arrive at the same moment.
CREATE TABLE installation (
    id                    smallint    PRIMARY KEY CHECK (id = 1),
    bootstrapped_at       timestamptz NOT NULL,
    first_organization_id uuid        NOT NULL
);

CREATE TABLE organizations (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL,
    status     text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name));

CREATE TABLE users (
    id              uuid        PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id),
    email           text        NOT NULL,
    display_name    text        NOT NULL,
    password_hash   text        NOT NULL,
    roles           text[]      NOT NULL,
    status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organization_idx ON users (organization_id, created_at);

-- Clients of the client-credentials grant. Cairn's own services have no organisation
-- (system = true) and are provisioned from configuration at start.
CREATE TABLE service_principals (
    id              uuid        PRIMARY KEY,
    organization_id uuid        NULL REFERENCES organizations (id),
    client_id       text        NOT NULL UNIQUE,
    name            text        NOT NULL,
    secret_hash     text        NOT NULL,
    scopes          text[]      NOT NULL,
    system          boolean     NOT NULL DEFAULT false,
    status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX service_principals_organization_idx ON service_principals (organization_id, created_at);

-- Refresh tokens are stored as SHA-256 hashes. Every use rotates the token within its family
-- (one login session); a token used twice revokes the whole family.
CREATE TABLE refresh_tokens (
    id         uuid        PRIMARY KEY,
    token_hash bytea       NOT NULL UNIQUE,
    family_id  uuid        NOT NULL,
    user_id    uuid        NOT NULL REFERENCES users (id),
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NULL,
    revoked_at timestamptz NULL
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

-- Token signing keys. The private key is AES-256-GCM encrypted under the key-encryption key
-- that only the tenant service's configuration holds. A key signs from active_from until
-- retired_at and stays in the JWKS until published_until, so that tokens it signed can still
-- be verified.
CREATE TABLE signing_keys (
    kid                    text        PRIMARY KEY,
    algorithm              text        NOT NULL,
    public_key             bytea       NOT NULL,
    private_key_ciphertext bytea       NOT NULL,
    created_at             timestamptz NOT NULL,
    active_from            timestamptz NOT NULL,
    retired_at             timestamptz NULL,
    published_until        timestamptz NULL
);
