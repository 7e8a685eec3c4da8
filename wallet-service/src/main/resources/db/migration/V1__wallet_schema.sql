-- Wallets: public key and metadata in the clear, the private key only sealed (AES-256-GCM
-- under a per-wallet data key, itself wrapped by the key protector: a local key or Vault).
CREATE TABLE wallets (
    address                text        PRIMARY KEY,
    owner_id               text        NOT NULL,
    organization_id        text        NULL,
    name                   text        NOT NULL,
    tags                   text[]      NOT NULL DEFAULT '{}',
    algorithm              text        NOT NULL CHECK (algorithm IN ('ED25519', 'P256', 'RSA4096')),
    public_key             bytea       NOT NULL,
    derivation_path        text        NULL,
    private_key_ciphertext bytea       NOT NULL,
    wrapped_data_key       text        NOT NULL,
    key_protector          text        NOT NULL,
    key_version            text        NOT NULL,
    status                 text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX wallets_owner_idx ON wallets (owner_id, created_at) WHERE status = 'active';
CREATE INDEX wallets_key_version_idx ON wallets (key_protector, key_version);
