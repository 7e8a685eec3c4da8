package dev.cairn.register.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cairn.platform.ledger.LedgerHashes;
import dev.cairn.platform.ledger.MerkleTree;
import dev.cairn.register.ledger.ChainRules;

/**
 * Checks an export ({@code GET /api/registers/{id}/export}) without any Cairn service: the
 * same rules as {@code GET /api/registers/{id}/verify}. Prints {@code OK} with the number of
 * dockets and transactions and the docket tree head, or {@code FAILED} with the first bad
 * height and why; exits 0 or 1.
 *
 * <pre>bin/cairn verify-export register.jsonl</pre>
 */
public final class ExportVerifier {

    public record Result(boolean ok, long height, String reason, long dockets, long transactions, String treeHead) {
    }

    private ExportVerifier() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ExportVerifier FILE.jsonl   (or - for standard input)");
            System.exit(2);
        }
        Reader in = "-".equals(args[0]) ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8);
        Result result;
        try (BufferedReader lines = new BufferedReader(in)) {
            result = verify(lines);
        }
        print(result, System.out);
        System.exit(result.ok() ? 0 : 1);
    }

    static void print(Result result, PrintStream out) {
        if (result.ok()) {
            out.printf("OK: %d dockets (heights 0..%d), %d transactions, docket tree head %s%n", result.dockets(), result.height(),
                    result.transactions(), result.treeHead());
        } else {
            out.printf("FAILED at height %d: %s%n", result.height(), result.reason());
        }
    }

    public static Result verify(BufferedReader lines) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        String header = lines.readLine();
        JsonNode register = header == null ? null : json.readTree(header);
        if (register == null || !"register".equals(register.path("type").asString(""))) {
            return new Result(false, 0, "the first line must describe the register", 0, 0, null);
        }
        String registerId = register.path("registerId").asString("");
        List<byte[]> docketHashes = new ArrayList<>();
        String previousHash = LedgerHashes.GENESIS_PREVIOUS_HASH;
        List<String> expected = List.of();
        int nextTransaction = 0;
        long transactions = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode record;
            try {
                record = json.readTree(line);
            } catch (RuntimeException e) {
                return failed(docketHashes.size() - 1L, "a line is not JSON", docketHashes.size(), transactions);
            }
            long height = docketHashes.size() - 1L;
            switch (record.path("type").asString("")) {
                case "docket" -> {
                    if (nextTransaction < expected.size()) {
                        return failed(height, "transaction " + expected.get(nextTransaction) + " is missing", height + 1, transactions);
                    }
                    JsonNode docket = record.path("docket");
                    String problem = ChainRules.docketProblem(docket, registerId, height + 1, previousHash);
                    if (problem != null) {
                        return failed(height + 1, problem, height + 1, transactions);
                    }
                    previousHash = docket.path("hash").asString();
                    docketHashes.add(LedgerHashes.bytes(previousHash));
                    expected = ChainRules.transactionIds(docket);
                    nextTransaction = 0;
                }
                case "transaction" -> {
                    JsonNode tx = record.path("transaction");
                    if (nextTransaction >= expected.size()) {
                        return failed(height, "a transaction that the docket does not list", height + 1, transactions);
                    }
                    String txId = expected.get(nextTransaction++);
                    if (!txId.equals(tx.path("txId").asString(null))) {
                        return failed(height, "transaction " + txId + " is missing or out of order", height + 1, transactions);
                    }
                    String problem = ChainRules.transactionProblem(tx, registerId, txId);
                    if (problem != null) {
                        return failed(height, problem, height + 1, transactions);
                    }
                    transactions++;
                }
                default -> {
                    return failed(height, "unknown line type", height + 1, transactions);
                }
            }
        }
        if (nextTransaction < expected.size()) {
            return failed(docketHashes.size() - 1L, "transaction " + expected.get(nextTransaction) + " is missing", docketHashes.size(), transactions);
        }
        return new Result(true, docketHashes.size() - 1L, null, docketHashes.size(), transactions, LedgerHashes.hex(MerkleTree.root(docketHashes)));
    }

    private static Result failed(long height, String reason, long dockets, long transactions) {
        return new Result(false, Math.max(0, height), reason, dockets, transactions, null);
    }
}
