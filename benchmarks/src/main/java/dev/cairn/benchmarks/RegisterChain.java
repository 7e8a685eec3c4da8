package dev.cairn.benchmarks;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.testsupport.LedgerFixture;

import static dev.cairn.benchmarks.BenchHttp.field;
import static dev.cairn.benchmarks.BenchHttp.post;

/**
 * One register and the chain of dockets a benchmark writes to it straight through the
 * register's write path, as a validator would. The benchmark seals the genesis docket itself,
 * pinning the fixture's key, so that its dockets are signed by the register's sealing key. A
 * validator that sealed the genesis first (it polls every two seconds) makes the register
 * unusable here, and another one is created.
 */
final class RegisterChain {

    final String registerId;
    private final String register;
    private final String validator;
    private final LedgerFixture fixture;
    private long height;
    private String previous;

    RegisterChain(String register, String admin, String validator, LedgerFixture fixture) throws Exception {
        this.register = register;
        this.validator = validator;
        this.fixture = fixture;
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = field(post(register + "/api/registers", admin, "{\"name\":\"bench\"}"), "id");
            ObjectNode genesis = fixture.docket(id, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(fixture.genesis(id, "bench")));
            HttpResponse<String> written = BenchHttp.send(HttpRequest.newBuilder(URI.create(register + "/api/registers/" + id + "/dockets"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + validator)
                    .POST(HttpRequest.BodyPublishers.ofString(genesis.toString())).build());
            if (written.statusCode() == 201) {
                this.registerId = id;
                this.height = 1;
                this.previous = LedgerFixture.hash(genesis);
                return;
            }
        }
        throw new IllegalStateException("the validators sealed the genesis docket of five registers before the benchmark could");
    }

    List<ObjectNode> prepare(int count, int perDocket) {
        List<ObjectNode> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add(next(perDocket));
        }
        return bodies;
    }

    void write(int count, int perDocket) throws Exception {
        for (int i = 0; i < count; i++) {
            store(next(perDocket));
        }
    }

    ObjectNode next(int transactions) {
        List<ObjectNode> txs = new ArrayList<>();
        for (int i = 0; i < transactions; i++) {
            txs.add(fixture.action(registerId, (int) (height * 1000 + i)));
        }
        ObjectNode body = fixture.docket(registerId, height++, previous, txs);
        previous = LedgerFixture.hash(body);
        return body;
    }

    void store(ObjectNode body) throws Exception {
        post(register + "/api/registers/" + registerId + "/dockets", validator, body.toString());
    }
}
