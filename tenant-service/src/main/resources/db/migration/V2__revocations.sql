-- Every revocation (sign-out, RFC 7009 revocation, a replayed refresh token, a user disabled or
-- given a new password), kept until no token it could match is still valid. Redis holds the copy
-- that every request reads; when Redis restarts empty, a tenant replica fills it again from here
-- before any token is believed (DurableRevocationList).
CREATE TABLE revocations (
    redis_key  text        PRIMARY KEY,
    value      text        NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX revocations_expiry_idx ON revocations (expires_at);
