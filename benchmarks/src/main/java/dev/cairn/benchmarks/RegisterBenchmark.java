package dev.cairn.benchmarks;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;


import static dev.cairn.benchmarks.BenchHttp.get;
import static dev.cairn.benchmarks.BenchHttp.option;
import dev.cairn.ledger.CanonicalJson;

/**
 * Dockets stored per second by the register service, next to a raw {@code insertMany} of the
 * same documents into the same MongoDB in the same run, and transaction lookups by id in a
 * large register. Writes docs/benchmarks/register.md.
 *
 * <pre>bin/cairn bench register [--dockets 300] [--lookup-transactions 1000000]</pre>
 */
public final class RegisterBenchmark {

    private static final int PER_DOCKET = 100;
    private static final int FILL_PER_DOCKET = 500;
    private static final int LOOKUPS = 5_000;

    private RegisterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        int dockets = option(args, "--dockets", 300);
        int lookupTransactions = option(args, "--lookup-transactions", 1_000_000);
        Report report = new Report("Register: dockets stored and transactions looked up",
                "Produced by `bin/cairn bench register` (dev.cairn.benchmarks.RegisterBenchmark). One replica of every service, "
                        + "embedded stores: MongoDB is the embedded wire-protocol server (mongo-java-server, memory backend), "
                        + "which is much slower than a real MongoDB replica set. Requests go straight to the register replica, "
                        + "as a validator's do.");
        try (RegisterSuite suite = RegisterSuite.start(root, "register", Map.of("CAIRN_MAXREQUESTSIZE", "8MB",
                "CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "1000000000", "CAIRN_GATEWAY_RATELIMIT_POLICIES_CALLER_LIMIT", "1000000000"))) {
            // warm-up: the write path, the JIT and the store
            RegisterChain warm = suite.newChain();
            warm.write(50, PER_DOCKET);

            RegisterChain one = suite.newChain();
            List<ObjectNode> prepared = one.prepare(dockets, PER_DOCKET);
            long started = System.nanoTime();
            for (ObjectNode body : prepared) {
                one.store(body);
            }
            double apiSeconds = (System.nanoTime() - started) / 1e9;

            List<List<Document>> raw = rawDocuments(prepared);
            MongoCollection<Document> rawTransactions = suite.database("bench_raw").getCollection("transactions");
            MongoCollection<Document> rawDockets = suite.database("bench_raw").getCollection("dockets");
            rawTransactions.createIndex(new Document("height", 1));
            rawTransactions.createIndex(new Document("sender", 1).append("height", 1));
            rawTransactions.createIndex(new Document("recipients", 1).append("height", 1));
            rawTransactions.createIndex(new Document("blueprintId", 1).append("instanceId", 1).append("height", 1));
            rawTransactions.createIndex(new Document("timestamp", 1));
            started = System.nanoTime();
            for (int i = 0; i < raw.size(); i++) {
                rawTransactions.insertMany(raw.get(i));
                rawDockets.insertOne(new Document("_id", (long) i).append("raw", prepared.get(i).path("docket").toString()));
            }
            double rawSeconds = (System.nanoTime() - started) / 1e9;

            int parallelRegisters = 4;
            List<RegisterChain> chains = new ArrayList<>();
            List<List<ObjectNode>> parallelPrepared = new ArrayList<>();
            for (int i = 0; i < parallelRegisters; i++) {
                RegisterChain chain = suite.newChain();
                chains.add(chain);
                parallelPrepared.add(chain.prepare(dockets / parallelRegisters, PER_DOCKET));
            }
            ExecutorService pool = Executors.newFixedThreadPool(parallelRegisters);
            started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < parallelRegisters; i++) {
                int n = i;
                running.add(pool.submit(() -> {
                    for (ObjectNode body : parallelPrepared.get(n)) {
                        chains.get(n).store(body);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double parallelSeconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();

            report.line("## Storing dockets");
            report.line("");
            report.line("Dockets of " + PER_DOCKET + " signed transactions (about " + prepared.get(0).path("transactions").get(0).toString().length()
                    + " bytes each), prepared beforehand; each `POST /api/registers/{id}/dockets` checks every transaction's id and "
                    + "signature, the docket's hash, Merkle root and signature, and the chain, then stores. The raw figure inserts the "
                    + "same transaction documents (one `insertMany` per docket, with the same indexes) and one docket document, and "
                    + "checks nothing.");
            report.table("Writer", "Dockets", "Dockets/s", "Transactions/s", "Raw insertMany transactions/s", "Register / raw");
            int total = dockets * PER_DOCKET;
            double apiTx = total / apiSeconds;
            double rawTx = total / rawSeconds;
            report.row("one register, one writer", dockets, String.format("%.1f", dockets / apiSeconds), String.format("%.0f", apiTx),
                    String.format("%.0f", rawTx), String.format("%.2f", apiTx / rawTx));
            int parallelDockets = parallelRegisters * (dockets / parallelRegisters);
            double parallelTx = parallelDockets * PER_DOCKET / parallelSeconds;
            report.row(parallelRegisters + " registers, one writer each", parallelDockets, String.format("%.1f", parallelDockets / parallelSeconds),
                    String.format("%.0f", parallelTx), String.format("%.0f", rawTx), String.format("%.2f", parallelTx / rawTx));
            System.out.printf("api %.0f tx/s, raw %.0f tx/s, parallel %.0f tx/s%n", apiTx, rawTx, parallelTx);

            // a large register for lookups
            RegisterChain big = suite.newChain();
            Random random = new Random(42);
            List<String> sample = new ArrayList<>();
            long fillStarted = System.nanoTime();
            int filled = 0;
            while (filled < lookupTransactions) {
                ObjectNode body = big.next(Math.min(FILL_PER_DOCKET, lookupTransactions - filled));
                for (JsonNode tx : body.path("transactions")) {
                    if (sample.size() < LOOKUPS * 2 && random.nextInt(Math.max(1, lookupTransactions / (LOOKUPS * 2))) == 0) {
                        sample.add(tx.path("txId").asString());
                    }
                }
                big.store(body);
                filled += body.path("transactions").size();
                if (filled % 100_000 < FILL_PER_DOCKET) {
                    System.out.printf("filled %d transactions (%.0f s)%n", filled, (System.nanoTime() - fillStarted) / 1e9);
                }
            }
            double fillSeconds = (System.nanoTime() - fillStarted) / 1e9;
            long[] api = new long[LOOKUPS];
            long[] direct = new long[LOOKUPS];
            MongoCollection<Document> stored = suite.database(big).getCollection("transactions");
            for (int i = 0; i < 500; i++) { // warm-up
                get(suite.register + "/api/registers/" + big.registerId + "/transactions/" + sample.get(i % sample.size()), suite.admin);
            }
            for (int i = 0; i < LOOKUPS; i++) {
                String txId = sample.get(random.nextInt(sample.size()));
                long t0 = System.nanoTime();
                HttpResponse<String> response = get(suite.register + "/api/registers/" + big.registerId + "/transactions/" + txId, suite.admin);
                api[i] = System.nanoTime() - t0;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("lookup answered " + response.statusCode());
                }
                t0 = System.nanoTime();
                stored.find(Filters.eq("_id", txId)).first();
                direct[i] = System.nanoTime() - t0;
            }
            report.line("");
            report.line("## Looking up a transaction by id");
            report.line("");
            report.line("A register of " + filled + " transactions (filled through the API in " + String.format("%.0f s", fillSeconds)
                    + ", dockets of " + FILL_PER_DOCKET + "); " + LOOKUPS + " lookups of random sealed transactions, one at a time. "
                    + "`GET /api/registers/{id}/transactions/{txId}` checks the token, finds the transaction, checks that the docket "
                    + "at its height lists it (remembered), and answers it; the direct figure is the driver's `find` by `_id` in the "
                    + "same database.");
            report.table("Lookup", "p50", "p99");
            report.row("through the register service", ms(percentile(api, 50)), ms(percentile(api, 99)));
            report.row("MongoDB driver, directly", ms(percentile(direct, 50)), ms(percentile(direct, 99)));
        }
        report.write(root.resolve("docs/benchmarks/register.md"));
    }

    private static List<List<Document>> rawDocuments(List<ObjectNode> bodies) {
        List<List<Document>> raw = new ArrayList<>();
        for (ObjectNode body : bodies) {
            List<Document> documents = new ArrayList<>();
            long height = body.path("docket").path("height").asLong();
            for (JsonNode tx : body.path("transactions")) {
                List<String> recipients = new ArrayList<>();
                tx.path("recipients").forEach(r -> recipients.add(r.asString()));
                documents.add(new Document("_id", "raw-" + tx.path("txId").asString()).append("height", height)
                        .append("raw", CanonicalJson.string(tx)).append("type", tx.path("type").asString())
                        .append("sender", tx.path("sender").asString()).append("recipients", recipients)
                        .append("blueprintId", tx.path("blueprintId").asString()).append("instanceId", tx.path("instanceId").asString())
                        .append("timestamp", tx.path("timestamp").asString()));
            }
            raw.add(documents);
        }
        return raw;
    }

    private static long percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

}
