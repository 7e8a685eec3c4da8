package dev.cairn.ledger.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cairn.ledger.ChainCheck;
import dev.cairn.ledger.ChainRules;
import dev.cairn.ledger.SealingKeys;

/**
 * Checks an export ({@code GET /api/registers/{id}/export}) without any Cairn service, with the
 * rules of {@link ChainCheck}: the first line describes the register; then each docket, from
 * height 0, followed by its transactions in order; and last, when the register had one, the
 * signed tree head it served when the export began, which must match the chain.
 *
 * <p>Lines are parsed and each record's own hash and signature checked on every core, in
 * batches; the checks that depend on order run on one thread as the results come back in
 * order.
 */
public final class ExportVerifier {

    private static final int BATCH = 512;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One line, parsed and with its own checks made. */
    private record Line(String type, JsonNode record, String ownProblem) {
    }

    private final String trustedGenesis;
    private final SealingKeys trustedKeys;
    private final int threads;

    public ExportVerifier(String trustedGenesis, SealingKeys trustedKeys, int threads) {
        this.trustedGenesis = trustedGenesis;
        this.trustedKeys = trustedKeys;
        this.threads = Math.max(1, threads);
    }

    /** Verifies with no trust given and every core. */
    public static ChainCheck.Result verify(BufferedReader lines) throws IOException {
        return new ExportVerifier(null, null, Runtime.getRuntime().availableProcessors()).check(lines);
    }

    public ChainCheck.Result check(BufferedReader lines) throws IOException {
        JsonNode register;
        try {
            String header = lines.readLine();
            register = header == null ? null : JSON.readTree(header);
        } catch (JacksonException e) {
            register = null;
        }
        if (register == null || !"register".equals(register.path("type").asString(""))) {
            return new ChainCheck.Result(null, false, 0, "the first line must describe the register", 0, 0, null, null, null, null);
        }
        ChainCheck chain = new ChainCheck(register.path("registerId").asString(""));
        if (trustedGenesis != null) {
            chain.trustGenesis(trustedGenesis);
        }
        if (trustedKeys != null) {
            chain.trustKeys(trustedKeys);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "export-verifier");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<Line>>> inFlight = new ArrayList<>();
            boolean more = true;
            boolean headSeen = false;
            while ((more || !inFlight.isEmpty()) && !chain.failed()) {
                while (more && inFlight.size() < threads * 2) {
                    List<String> batch = new ArrayList<>(BATCH);
                    String line;
                    while (batch.size() < BATCH && (line = lines.readLine()) != null) {
                        if (!line.isBlank()) {
                            batch.add(line);
                        }
                    }
                    more = batch.size() == BATCH;
                    if (!batch.isEmpty()) {
                        inFlight.add(pool.submit(() -> batch.stream().map(ExportVerifier::parse).toList()));
                    }
                }
                if (inFlight.isEmpty()) {
                    break;
                }
                for (Line line : await(inFlight.remove(0))) {
                    if (headSeen) {
                        return failed(chain, "the signed tree head must be the last line");
                    }
                    boolean ok = switch (line.type()) {
                        case "docket" -> chain.docket(line.record(), line.ownProblem());
                        case "transaction" -> chain.transaction(line.record(), line.ownProblem());
                        case "head" -> {
                            headSeen = true;
                            yield chain.head(line.record());
                        }
                        case "" -> failed(chain, "a line is not JSON, or has no type").ok();
                        default -> failed(chain, "unknown line type " + line.type()).ok();
                    };
                    if (!ok) {
                        break;
                    }
                }
            }
            return chain.finish();
        } finally {
            pool.shutdownNow();
        }
    }

    private static Line parse(String text) {
        JsonNode line;
        try {
            line = JSON.readTree(text);
        } catch (JacksonException e) {
            return new Line("", null, null);
        }
        String type = line.path("type").asString("");
        return switch (type) {
            case "docket" -> {
                String problem = textProblem(text, type, line.path(type), "the docket");
                yield new Line(type, line.path(type), problem != null ? problem : ChainRules.docketSelfProblem(line.path(type)));
            }
            case "transaction" -> {
                String problem = textProblem(text, type, line.path(type), "transaction " + line.path(type).path("txId").asString("?"));
                yield new Line(type, line.path(type), problem != null ? problem : ChainRules.transactionSelfProblem(line.path(type)));
            }
            case "head" -> new Line(type, line.path("head"), null);
            default -> new Line(type, line, null);
        };
    }

    /** A record's line is {@code {"type":"<type>","<type>":<the record's canonical JSON>}}, as the register exports it. */
    private static String textProblem(String text, String type, JsonNode record, String what) {
        String prefix = "{\"type\":\"" + type + "\",\"" + type + "\":";
        if (!text.startsWith(prefix) || !text.endsWith("}")) {
            return what + ": the line is not {\"type\":\"" + type + "\",\"" + type + "\":record}, as an export writes it";
        }
        return ChainRules.textProblem(text.substring(prefix.length(), text.length() - 1), record, what);
    }

    /** Records a line that is not a record where one was due. */
    private static ChainCheck.Result failed(ChainCheck chain, String reason) {
        chain.structure(reason);
        return chain.finish();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
