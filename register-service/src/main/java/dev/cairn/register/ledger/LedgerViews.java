package dev.cairn.register.ledger;

import java.util.List;

import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.platform.problem.ApiException;
import dev.cairn.ledger.LedgerHashes;

/** How stored ledger records are shown, and how their ids in URLs are read. */
@Component
public class LedgerViews {

    public record TransactionView(String registerId, String txId, long height, String did, JsonNode transaction) {
    }

    public record DocketView(String registerId, long height, String hash, JsonNode docket) {
    }

    public record PageView<T>(List<T> items, int page, int size, long total, int maxSize, boolean capped) {
    }

    private final JsonMapper json;

    public LedgerViews(JsonMapper json) {
        this.json = json;
    }

    public static String did(String registerId, String txId) {
        return "did:cairn:register:" + registerId + "/tx/" + txId;
    }

    public TransactionView transaction(String registerId, Document stored) {
        String txId = stored.getString("_id");
        return new TransactionView(registerId, txId, ((Number) stored.get("height")).longValue(), did(registerId, txId),
                json.readTree(stored.getString("raw")));
    }

    public DocketView docket(String registerId, Document stored) {
        return new DocketView(registerId, ((Number) stored.get("_id")).longValue(), stored.getString("hash"), json.readTree(stored.getString("raw")));
    }

    public static String txId(String value) {
        if (!LedgerHashes.isHash(value)) {
            throw ApiException.badRequest("invalid-transaction-id", "A transaction id is 64 lower-case hex digits");
        }
        return value;
    }

    public static long height(String value) {
        try {
            long height = Long.parseLong(value);
            if (height >= 0) {
                return height;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("invalid-height", "A height is a whole number >= 0");
    }
}
