package dev.cairn.validator.mempool;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.validator.config.ValidatorProperties;

/**
 * Submitting signed transactions and following them. A new transaction is answered 202
 * {@code pending} once it is durably in the mempool; one that is known already is answered 200
 * with its current status. A user of the register's organisation, or a service with
 * {@code validator:submit}, may submit.
 */
@RestController
@RequestMapping({"/api/transactions", "/api/v1/transactions"})
class TransactionController {

    record BatchView(List<Submissions.Status> items, int stored) {
    }

    private final Submissions submissions;
    private final ValidatorProperties properties;

    TransactionController(Submissions submissions, ValidatorProperties properties) {
        this.submissions = submissions;
        this.properties = properties;
    }

    @PostMapping
    ResponseEntity<Submissions.Status> submit(Caller caller, @RequestBody JsonNode transaction) {
        Submissions.Outcome outcome = submissions.submit(caller, transaction);
        Submissions.Status status = outcome.status();
        URI location = URI.create("/api/transactions/" + status.registerId() + "/" + status.txId());
        return ResponseEntity.status(outcome.stored() ? HttpStatus.ACCEPTED : HttpStatus.OK).location(location).body(status);
    }

    /** {@code {transactions: [...]}}, at most {@code cairn.validator.batch-limit}; all are stored or none. */
    @PostMapping("/batch")
    ResponseEntity<BatchView> submitBatch(Caller caller, @RequestBody JsonNode request) {
        JsonNode transactions = request.path("transactions");
        if (!transactions.isArray() || transactions.isEmpty()) {
            throw ApiException.badRequest("invalid-batch", "The body is {transactions: [...]} with at least one transaction");
        }
        if (transactions.size() > properties.batchLimit()) {
            throw ApiException.badRequest("batch-too-large", "A batch holds at most " + properties.batchLimit() + " transactions");
        }
        List<JsonNode> list = new ArrayList<>();
        transactions.values().forEach(list::add);
        List<Submissions.Outcome> outcomes = submissions.submitAll(caller, list);
        int stored = (int) outcomes.stream().filter(Submissions.Outcome::stored).count();
        return ResponseEntity.status(stored > 0 ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .body(new BatchView(outcomes.stream().map(Submissions.Outcome::status).toList(), stored));
    }

    @GetMapping("/{registerId}/{txId}")
    Submissions.Status status(Caller caller, @PathVariable String registerId, @PathVariable String txId) {
        return submissions.status(caller, registerId, txId);
    }
}
