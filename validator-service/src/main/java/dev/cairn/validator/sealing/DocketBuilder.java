package dev.cairn.validator.sealing;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.ledger.TreeHead;
import dev.cairn.validator.clients.SystemWallet;

/** Signed ledger records the validator makes: dockets, tree heads, key changes, and the genesis transaction of a register. */
@Component
class DocketBuilder {

    private final SystemWallet wallet;
    private final JsonMapper json;

    DocketBuilder(SystemWallet wallet, JsonMapper json) {
        this.wallet = wallet;
        this.json = json;
    }

    ObjectNode docket(String registerId, long height, String previousHash, List<String> transactionIds, Instant now, String validatorId,
            SystemWallet.Wallet signer) {
        ObjectNode docket = json.createObjectNode();
        docket.put("registerId", registerId).put("height", height).put("previousHash", previousHash)
                .put("merkleRoot", LedgerHashes.merkleRoot(transactionIds));
        ArrayNode ids = docket.putArray("transactionIds");
        transactionIds.forEach(ids::add);
        docket.put("timestamp", now.toString()).put("validatorId", validatorId);
        String hash = LedgerHashes.docketHash(docket);
        docket.put("hash", hash);
        docket.set("signature", wallet.sign(signer, hash));
        return docket;
    }

    /** The register's first transaction: its owner and policy, and the sealing key it pins (the signer's). */
    ObjectNode genesisTransaction(String registerId, JsonNode genesis, Instant now, SystemWallet.Wallet signer) {
        ObjectNode payload = genesis.isObject() ? ((ObjectNode) genesis).deepCopy() : json.createObjectNode();
        payload.set(SealingKeys.FIELD, SealingKeys.of(List.of(signer.key())).toJson());
        ObjectNode tx = json.createObjectNode();
        tx.put("registerId", registerId).put("type", "genesis").put("sender", signer.address());
        tx.set("payload", payload);
        tx.put("timestamp", now.toString());
        return signed(tx, signer);
    }

    /** A control transaction that adds {@code add} to the register's sealing keys and retires {@code retire}, signed by {@code signer}. */
    ObjectNode keyChange(String registerId, List<SealingKeys.Key> add, List<String> retire, Instant now, SystemWallet.Wallet signer) {
        ObjectNode change = json.createObjectNode();
        add.forEach(k -> change.withArray("add").add(k.toJson()));
        retire.forEach(id -> change.withArray("retire").add(id));
        ObjectNode tx = json.createObjectNode();
        tx.put("registerId", registerId).put("type", "control").put("sender", signer.address());
        tx.putObject("payload").set(SealingKeys.FIELD, change);
        tx.put("timestamp", now.toString());
        return signed(tx, signer);
    }

    ObjectNode head(String registerId, long treeSize, String rootHash, String latestHash, Instant now, SystemWallet.Wallet signer) {
        ObjectNode head = TreeHead.unsigned(registerId, treeSize, rootHash, latestHash, now);
        head.set("signature", wallet.sign(signer, TreeHead.hash(head)));
        return head;
    }

    private ObjectNode signed(ObjectNode tx, SystemWallet.Wallet signer) {
        String txId = LedgerHashes.transactionId(tx);
        tx.put("txId", txId);
        tx.set("signature", wallet.sign(signer, txId));
        return tx;
    }
}
