#!/bin/sh
# Transit engine, the wallet key-encryption key (never exportable), and an AppRole that may use
# it and nothing else. Idempotent.
set -eu
vault secrets list | grep -q '^transit/' || vault secrets enable transit
vault read transit/keys/cairn-wallet >/dev/null 2>&1 || vault write -f transit/keys/cairn-wallet exportable=false
vault policy write cairn-wallet - <<POLICY
path "transit/encrypt/cairn-wallet" { capabilities = ["update"] }
path "transit/decrypt/cairn-wallet" { capabilities = ["update"] }
path "transit/rewrap/cairn-wallet"  { capabilities = ["update"] }
path "transit/keys/cairn-wallet"    { capabilities = ["read"] }
POLICY
vault auth list | grep -q '^approle/' || vault auth enable approle
vault write auth/approle/role/cairn-wallet token_policies=cairn-wallet token_ttl=1h token_max_ttl=24h
vault write auth/approle/role/cairn-wallet/role-id role_id="$WALLET_ROLE_ID"
vault write auth/approle/role/cairn-wallet/custom-secret-id secret_id="$WALLET_SECRET_ID" >/dev/null 2>&1 || true
echo "vault ready: transit key cairn-wallet, approle cairn-wallet"
