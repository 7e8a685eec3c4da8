#!/bin/sh
# Transit engine, the key-encryption keys (never exportable) of the wallet service (cairn-wallet)
# and of the peer service's node key (cairn-peer), and for each service an AppRole that may use
# its own key and nothing else. Idempotent.
set -eu
vault secrets list | grep -q '^transit/' || vault secrets enable transit
vault auth list | grep -q '^approle/' || vault auth enable approle

# service_key NAME ROLE_ID SECRET_ID
service_key() {
  vault read "transit/keys/$1" >/dev/null 2>&1 || vault write -f "transit/keys/$1" exportable=false
  vault policy write "$1" - <<POLICY
path "transit/encrypt/$1" { capabilities = ["update"] }
path "transit/decrypt/$1" { capabilities = ["update"] }
path "transit/rewrap/$1"  { capabilities = ["update"] }
path "transit/keys/$1"    { capabilities = ["read"] }
POLICY
  vault write "auth/approle/role/$1" token_policies="$1" token_ttl=1h token_max_ttl=24h
  vault write "auth/approle/role/$1/role-id" role_id="$2"
  vault write "auth/approle/role/$1/custom-secret-id" secret_id="$3" >/dev/null 2>&1 || true
  echo "vault ready: transit key $1, approle $1"
}

service_key cairn-wallet "$WALLET_ROLE_ID" "$WALLET_SECRET_ID"
service_key cairn-peer "$PEER_ROLE_ID" "$PEER_SECRET_ID"
