package dev.cairn.register.ledger;

import java.util.List;

import org.bson.Document;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Caller;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.registry.Register;
import dev.cairn.register.registry.RegisterAccess;

/**
 * Proofs over a register's two kinds of RFC 9162 trees (see docs/registers.md): the
 * transaction tree of each docket, whose leaves are the docket's transaction ids, and the
 * docket tree of the register, whose leaves are the docket hashes from height 0 on. Also the
 * full chain check.
 */
@RestController
@RequestMapping("/api/registers/{id}")
class ProofController {

    record InclusionProof(String registerId, String txId, long height, int leafIndex, int treeSize, String leafHash, List<String> path,
            String merkleRoot, String docketHash) {
    }

    record ConsistencyProof(String registerId, long first, long second, String firstRoot, String secondRoot, List<String> proof) {
    }

    private final RegisterAccess access;
    private final LedgerReader reader;
    private final ChainVerifier verifier;
    private final JsonMapper json;

    ProofController(RegisterAccess access, LedgerReader reader, ChainVerifier verifier, JsonMapper json) {
        this.access = access;
        this.reader = reader;
        this.verifier = verifier;
        this.json = json;
    }

    @GetMapping("/transactions/{txId}/proof")
    InclusionProof inclusion(Caller caller, @PathVariable String id, @PathVariable String txId) {
        access.readable(caller, id);
        Document tx = reader.transaction(id, LedgerViews.txId(txId)).orElseThrow(() -> ApiException.notFound("transaction"));
        long height = ((Number) tx.get("height")).longValue();
        Document docket = reader.docket(id, height).orElseThrow(() -> ApiException.notFound("docket"));
        List<String> ids = docket.getList("transactionIds", String.class);
        List<byte[]> leaves = ids.stream().map(LedgerHashes::bytes).toList();
        int index = ids.indexOf(txId);
        List<String> path = MerkleTree.inclusionProof(index, leaves).stream().map(LedgerHashes::hex).toList();
        String root = json.readTree(docket.getString("raw")).path("merkleRoot").asString();
        return new InclusionProof(id, txId, height, index, ids.size(), LedgerHashes.hex(MerkleTree.leafHash(LedgerHashes.bytes(txId))), path,
                root, docket.getString("hash"));
    }

    /** Proof that the docket tree of the first {@code first} dockets is a prefix of the one of the first {@code second}. */
    @GetMapping("/consistency")
    ConsistencyProof consistency(Caller caller, @PathVariable String id, @RequestParam long first, @RequestParam(required = false) Long second) {
        access.readable(caller, id);
        long size = reader.sealedHeight(id) + 1;
        long to = second == null ? size : second;
        if (first < 1 || first > to || to > size) {
            throw ApiException.badRequest("invalid-tree-size", "Tree sizes count dockets: 1 <= first <= second <= " + size);
        }
        List<byte[]> leaves = reader.docketHashes(id, to);
        List<String> proof = MerkleTree.consistencyProof((int) first, leaves).stream().map(LedgerHashes::hex).toList();
        return new ConsistencyProof(id, first, to, LedgerHashes.hex(MerkleTree.root(leaves.subList(0, (int) first))),
                LedgerHashes.hex(MerkleTree.root(leaves)), proof);
    }

    @GetMapping("/verify")
    ChainVerifier.Result verify(Caller caller, @PathVariable String id) {
        Register register = access.readable(caller, id);
        // a replica's chain must begin with the home's genesis docket it pinned
        return verifier.verify(id, register.isReplica() ? register.replica().genesisHash() : null);
    }
}
