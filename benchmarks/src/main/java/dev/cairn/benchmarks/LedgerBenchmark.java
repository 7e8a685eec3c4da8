package dev.cairn.benchmarks;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.ChainCheck;
import dev.cairn.ledger.ChainRules;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.ledger.verify.ExportVerifier;
import dev.cairn.testsupport.LedgerFixture;

import static dev.cairn.benchmarks.BenchHttp.get;
import static dev.cairn.benchmarks.BenchHttp.option;

/**
 * Chain verification against raw signature verification, in one run: Bouncy Castle Ed25519
 * verifies per second on one core and on every core; the offline verifier ({@code bin/cairn
 * verify-export}) on an export of {@code --transactions} transactions; and
 * {@code GET /api/registers/{id}/verify} on a register holding as many, with the CPU each
 * process used. Writes docs/benchmarks/ledger.md.
 *
 * <pre>bin/cairn bench ledger [--transactions 1000000] [--per-docket 500] [--register-transactions N]</pre>
 */
public final class LedgerBenchmark {

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        int transactions = option(args, "--transactions", 1_000_000);
        int perDocket = option(args, "--per-docket", 500);
        int registerTransactions = option(args, "--register-transactions", transactions);
        int cores = Runtime.getRuntime().availableProcessors();
        Report report = new Report("Ledger: verifying chains",
                "Produced by `bin/cairn bench ledger` (dev.cairn.benchmarks.LedgerBenchmark). Every figure is from the same run. A "
                        + "transaction costs one Ed25519 verification (its sender's signature); each docket adds one more (its seal), "
                        + "plus hashing: the canonical JSON of every record, the Merkle tree of each docket, the docket tree.");
        Path work = Files.createDirectories(root.resolve("benchmarks/target/ledger-bench"));

        System.out.println("raw Ed25519 verification ...");
        rawVerifies(1, 3); // warm-up
        double rawOne = rawVerifies(1, 5);
        double rawAll = rawVerifies(cores, 5);

        System.out.printf("writing an export of %d transactions ...%n", transactions);
        Path export = work.resolve("register.jsonl");
        long started = System.nanoTime();
        writeExport(export, transactions, perDocket);
        System.out.printf("written in %.0f s%n", (System.nanoTime() - started) / 1e9);
        verifyExport(export, cores); // warm-up
        double[] offlineOne = verifyExport(export, 1);
        double[] offlineAll = verifyExport(export, cores);

        report.line("## Raw signature verification");
        report.line("");
        report.line("Bouncy Castle Ed25519 (`dev.cairn.ledger.crypto.Ed25519.verify`) over 32-byte messages, 5 s each.");
        report.table("Threads", "Verifies/s");
        report.row(1, String.format("%.0f", rawOne));
        report.row(cores, String.format("%.0f", rawAll));
        report.line("");
        report.line("## The offline verifier");
        report.line("");
        report.line("`ExportVerifier` (what `bin/cairn verify-export` runs) on an export of " + transactions + " transactions in dockets of "
                + perDocket + " (" + String.format("%.0f MB", Files.size(export) / 1e6) + "), after one warm-up pass; lines are parsed "
                + "and each record's own hash and signature checked on the given threads, the order checks on the reading thread.");
        report.table("Threads", "Seconds", "Transactions/s", "Ratio to raw Ed25519 on as many threads");
        report.row(1, String.format("%.1f", offlineOne[0]), String.format("%.0f", offlineOne[1]), String.format("%.2f", offlineOne[1] / rawOne));
        report.row(cores, String.format("%.1f", offlineAll[0]), String.format("%.0f", offlineAll[1]), String.format("%.2f", offlineAll[1] / rawAll));

        System.out.printf("a register of %d transactions ...%n", registerTransactions);
        try (RegisterSuite suite = RegisterSuite.start(root, "ledger", Map.of())) {
            String admin = suite.admin;
            RegisterChain chain = suite.newChain();
            chain.write(20, perDocket); // through the write path: the register's own documents to start from
            long filledStarted = System.nanoTime();
            long filled = fill(suite.database(chain), chain, registerTransactions - 20L * perDocket, perDocket);
            System.out.printf("filled in %.0f s%n", (System.nanoTime() - filledStarted) / 1e9);
            String verifyPath = suite.register + "/api/registers/" + chain.registerId + "/verify";
            get(verifyPath, admin); // warm-up
            Map<String, Long> before = ProcessCpu.snapshot(suite.cluster);
            started = System.nanoTime();
            String answer = get(verifyPath, admin).body();
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Long> used = ProcessCpu.between(before, ProcessCpu.snapshot(suite.cluster));
            JsonNode result = LedgerFixture.JSON.readTree(answer);
            if (!result.path("ok").asBoolean()) {
                throw new IllegalStateException("the register does not verify: " + answer);
            }
            long verified = result.path("transactions").asLong();
            report.line("");
            report.line("## `GET /api/registers/{id}/verify`");
            report.line("");
            report.line("A register of " + verified + " transactions in " + result.path("dockets").asLong() + " dockets (" + filled
                    + " of them stored directly in MongoDB as the write path stores them, the rest through it), one register replica, "
                    + "the embedded MongoDB server (memory backend); after one warm-up pass. The register reads every docket and "
                    + "transaction from MongoDB and checks them on every core.");
            report.table("Seconds", "Transactions/s", "Ratio to raw Ed25519 on " + cores + " threads");
            report.row(String.format("%.1f", seconds), String.format("%.0f", verified / seconds), String.format("%.2f", verified / seconds / rawAll));
            report.line("");
            report.line("CPU per 1,000 transactions verified, by process, during the timed pass:");
            ProcessCpu.report(report, used, Math.max(1, verified / 1000), "1,000 transactions");
        }
        report.write(root.resolve("docs/benchmarks/ledger.md"));
    }

    /** Ed25519 verifications per second on {@code threads} threads. */
    static double rawVerifies(int threads, int seconds) throws Exception {
        byte[] key = Ed25519.generatePrivateKey();
        byte[] publicKey = Ed25519.publicKey(key);
        List<byte[][]> signed = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 2_000; i++) {
            byte[] message = new byte[32];
            random.nextBytes(message);
            signed.add(new byte[][] {message, Ed25519.sign(key, message)});
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong count = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    byte[][] pair = signed.get((int) (n % signed.size()));
                    if (!Ed25519.verify(publicKey, pair[0], pair[1])) {
                        throw new IllegalStateException("a valid signature did not verify");
                    }
                    n++;
                }
                count.addAndGet(n);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return count.get() / ((System.nanoTime() - started) / 1e9);
    }

    /** Writes an export: the register line, then dockets and their transactions, signed on every core. */
    private static void writeExport(Path file, int transactions, int perDocket) throws Exception {
        LedgerFixture fixture = new LedgerFixture();
        String registerId = "0123456789abcdef0123456789abcdef";
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("{\"type\":\"register\",\"registerId\":\"" + registerId + "\"}\n");
            ObjectNode genesis = fixture.docket(registerId, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(fixture.genesis(registerId, "bench")));
            writeDocket(out, genesis);
            String previous = LedgerFixture.hash(genesis);
            for (long height = 1, written = 0; written < transactions; height++) {
                int size = (int) Math.min(perDocket, transactions - written);
                List<Future<ObjectNode>> made = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    int amount = i;
                    made.add(pool.submit(() -> fixture.action(registerId, amount)));
                }
                List<ObjectNode> txs = new ArrayList<>();
                for (Future<ObjectNode> f : made) {
                    txs.add(f.get());
                }
                ObjectNode body = fixture.docket(registerId, height, previous, txs);
                writeDocket(out, body);
                previous = LedgerFixture.hash(body);
                written += size;
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void writeDocket(BufferedWriter out, ObjectNode body) throws java.io.IOException {
        out.write("{\"type\":\"docket\",\"docket\":" + CanonicalJson.string(body.path("docket")) + "}\n");
        for (JsonNode tx : body.path("transactions")) {
            out.write("{\"type\":\"transaction\",\"transaction\":" + CanonicalJson.string(tx) + "}\n");
        }
    }

    /** Seconds and transactions per second of one offline verification. */
    private static double[] verifyExport(Path file, int threads) throws Exception {
        long started = System.nanoTime();
        ChainCheck.Result result;
        try (BufferedReader lines = Files.newBufferedReader(file)) {
            result = new ExportVerifier(null, null, threads).check(lines);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!result.ok()) {
            throw new IllegalStateException("the export does not verify: " + result);
        }
        System.out.printf("offline, %d threads: %d transactions in %.1f s%n", threads, result.transactions(), seconds);
        return new double[] {seconds, result.transactions() / seconds};
    }

    /** Stores dockets directly as the write path does (without its checks), continuing the chain; answers the transactions stored. */
    private static long fill(MongoDatabase database, RegisterChain chain, long transactions, int perDocket) {
        long stored = 0;
        while (stored < transactions) {
            ObjectNode body = chain.next((int) Math.min(perDocket, transactions - stored));
            JsonNode docket = body.path("docket");
            long height = docket.path("height").asLong();
            List<Document> documents = new ArrayList<>();
            for (JsonNode tx : body.path("transactions")) {
                documents.add(new Document("_id", tx.path("txId").asString()).append("height", height).append("raw", CanonicalJson.string(tx))
                        .append("type", tx.path("type").asString()).append("sender", tx.path("sender").asString())
                        .append("recipients", new ArrayList<>(new HashSet<>(ChainRules.strings(tx.path("recipients")))))
                        .append("blueprintId", null).append("instanceId", tx.path("instanceId").asString(null))
                        .append("timestamp", tx.path("timestamp").asString()));
            }
            database.getCollection("transactions").insertMany(documents);
            database.getCollection("dockets").insertOne(new Document("_id", height).append("hash", docket.path("hash").asString())
                    .append("raw", CanonicalJson.string(docket)).append("transactionIds", ChainRules.transactionIds(docket))
                    .append("timestamp", docket.path("timestamp").asString()));
            stored += documents.size();
            if (stored % 100_000 < perDocket) {
                System.out.printf("stored %d transactions%n", stored);
            }
        }
        return stored;
    }
}
