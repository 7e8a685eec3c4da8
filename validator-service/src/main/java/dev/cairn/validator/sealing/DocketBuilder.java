package dev.cairn.validator.sealing;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.platform.ledger.LedgerHashes;
import dev.cairn.validator.clients.SystemWallet;

/** Signed ledger records the validator makes: dockets, and the genesis transaction of a register. */
@Component
class DocketBuilder {

    private final SystemWallet wallet;
    private final JsonMapper json;

    DocketBuilder(SystemWallet wallet, JsonMapper json) {
        this.wallet = wallet;
        this.json = json;
    }

    ObjectNode docket(String registerId, long height, String previousHash, List<String> transactionIds, Instant now, String validatorId) {
        ObjectNode docket = json.createObjectNode();
        docket.put("registerId", registerId).put("height", height).put("previousHash", previousHash)
                .put("merkleRoot", LedgerHashes.merkleRoot(transactionIds));
        ArrayNode ids = docket.putArray("transactionIds");
        transactionIds.forEach(ids::add);
        docket.put("timestamp", now.toString()).put("validatorId", validatorId);
        String hash = LedgerHashes.docketHash(docket);
        docket.put("hash", hash);
        docket.set("signature", wallet.sign(hash));
        return docket;
    }

    /** The register's first transaction: its owner and policy, from the system wallet. */
    ObjectNode genesisTransaction(String registerId, tools.jackson.databind.JsonNode genesis, Instant now) {
        ObjectNode tx = json.createObjectNode();
        tx.put("registerId", registerId).put("type", "genesis").put("sender", wallet.address());
        tx.set("payload", genesis.isObject() ? genesis : json.createObjectNode());
        tx.put("timestamp", now.toString());
        String txId = LedgerHashes.transactionId(tx);
        tx.put("txId", txId);
        tx.set("signature", wallet.sign(txId));
        return tx;
    }
}
