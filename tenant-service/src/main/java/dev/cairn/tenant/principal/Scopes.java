package dev.cairn.tenant.principal;

import java.util.Set;

/** The scopes a service token can carry. */
public final class Scopes {

    /** Sign and decrypt with the wallets of the organisation acted for. */
    public static final String WALLET_SIGN = "wallet:sign";
    /** Create and use a Cairn service's own named wallet (the validators' docket-signing wallet); never for organisations. */
    public static final String WALLET_SYSTEM = "wallet:system";
    /** Read registers, dockets and transactions. */
    public static final String REGISTER_READ = "register:read";
    /** Write sealed dockets into registers (validators). */
    public static final String REGISTER_WRITE_DOCKET = "register:write-docket";
    /** Create read-only replicas of other installations' registers and write the dockets copied from them (the peer service). */
    public static final String REGISTER_WRITE_REPLICA = "register:write-replica";
    /** Submit transactions to the validator. */
    public static final String VALIDATOR_SUBMIT = "validator:submit";
    /** Read blueprints (the validator checks transaction data against published ones). */
    public static final String BLUEPRINT_READ = "blueprint:read";
    /** Execute blueprint actions. */
    public static final String BLUEPRINT_EXECUTE = "blueprint:execute";
    /** Read organisations and users. */
    public static final String TENANT_READ = "tenant:read";

    public static final Set<String> ALL = Set.of(WALLET_SIGN, WALLET_SYSTEM, REGISTER_READ, REGISTER_WRITE_DOCKET, REGISTER_WRITE_REPLICA,
            VALIDATOR_SUBMIT, BLUEPRINT_READ, BLUEPRINT_EXECUTE, TENANT_READ);

    /** What an organisation's own integrations may be granted. */
    public static final Set<String> FOR_ORGANISATIONS = Set.of(WALLET_SIGN, REGISTER_READ, VALIDATOR_SUBMIT, BLUEPRINT_READ,
            BLUEPRINT_EXECUTE);

    private Scopes() {
    }
}
