-- One named wallet per service principal (e.g. the validators' docket-signing wallet): the
-- first replica to record it wins; the others use that wallet.
CREATE TABLE system_wallets (
    owner_id   TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    address    TEXT        NOT NULL REFERENCES wallets (address),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (owner_id, name)
);
