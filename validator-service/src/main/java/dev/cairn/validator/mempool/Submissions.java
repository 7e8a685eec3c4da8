package dev.cairn.validator.mempool;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.RuleException;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.platform.workflow.StepTransaction;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.validator.clients.RegisterClient;
import dev.cairn.validator.config.ValidatorProperties;
import dev.cairn.platform.web.Ids;

/**
 * Accepting transactions into the mempool. Before anything is stored a transaction must pass
 * the checks of the record itself ({@link TransactionChecks}: size, shape, txId, signature, the
 * sender being the signing key's address, timing), then those that need its register (which the caller
 * must be allowed to write to, and which must be sealed here: a read-only replica of another
 * installation's register is refused), the previous transaction, and no second successor of it.
 * The validator checks timing, register and previous transaction again before sealing.
 */
@Service
public class Submissions {

    public static final String SUBMIT_SCOPE = "validator:submit";

    /** What the API answers about a transaction ({@code height} once sealed, {@code reason} once rejected). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String txId, String registerId, String status, Long height, String reason, Instant receivedAt,
            Instant decidedAt) {
        static Status of(Mempool.Entry e) {
            return new Status(e.txId(), e.registerId(), e.status(), e.height(), e.reason(), e.receivedAt(), e.decidedAt());
        }
    }

    /** A submission's result; {@code stored} is false when the transaction was known already. */
    public record Outcome(Status status, boolean stored) {
    }

    private final Mempool mempool;
    private final PendingWork pendingWork;
    private final RegisterClient registers;
    private final WorkflowSteps workflowSteps;
    private final JsonMapper json;
    private final ValidatorProperties properties;
    private final Clock clock;
    private final Counter accepted;
    private final Counter duplicates;

    public Submissions(Mempool mempool, PendingWork pendingWork, RegisterClient registers, WorkflowSteps workflowSteps, ValidatorProperties properties,
            Clock clock, MeterRegistry meters, JsonMapper json) {
        this.json = json;
        this.mempool = mempool;
        this.pendingWork = pendingWork;
        this.registers = registers;
        this.workflowSteps = workflowSteps;
        this.properties = properties;
        this.clock = clock;
        this.accepted = Counter.builder("cairn.validator.transactions.accepted").register(meters);
        this.duplicates = Counter.builder("cairn.validator.transactions.duplicate").register(meters);
    }

    public Outcome submit(Caller caller, JsonNode transaction) {
        return submitAll(caller, List.of(transaction)).get(0);
    }

    /** A transaction that passed its checks: new, or known already (then with its status). */
    private record Checked(Mempool.Accepted accepted, Status known) {
    }

    /**
     * All or nothing: when any transaction fails its checks, none is stored and the 400 lists each
     * problem. A transaction that is known already is answered with its status, whatever its age.
     */
    public List<Outcome> submitAll(Caller caller, List<JsonNode> transactions) {
        List<Checked> checked = new ArrayList<>();
        List<Map<String, Object>> problems = new ArrayList<>();
        ApiException first = null;
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < transactions.size(); i++) {
            try {
                candidates.add(checkRecord(caller, transactions.get(i)));
            } catch (ApiException e) {
                candidates.add(null);
                first = first == null ? e : first;
                problems.add(problem(i, e));
            }
        }
        Map<String, Mempool.Entry> stored = new java.util.HashMap<>();
        List<String> ids = candidates.stream().filter(c -> c != null).map(c -> c.accepted().txId()).distinct().toList();
        if (!ids.isEmpty()) {
            mempool.find(ids).forEach(e -> stored.put(e.txId(), e));
        }
        Map<String, Candidate> earlier = new java.util.HashMap<>(); // the batch's transactions so far, by txId
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            if (candidate == null) {
                continue;
            }
            Mempool.Entry known = stored.get(candidate.accepted().txId());
            if (known != null) {
                checked.add(new Checked(candidate.accepted(), Status.of(known)));
                earlier.put(known.txId(), candidate);
                continue;
            }
            try {
                checkFresh(candidate, earlier);
                checked.add(new Checked(candidate.accepted(), null));
                earlier.put(candidate.accepted().txId(), candidate);
            } catch (ApiException e) {
                first = first == null ? e : first;
                problems.add(problem(i, e));
            }
        }
        problems.sort(java.util.Comparator.comparingInt(p -> (Integer) p.get("index")));
        if (first != null) {
            if (transactions.size() == 1) {
                throw first;
            }
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-batch", "Invalid request",
                    problems.size() + " of " + transactions.size() + " transactions failed their checks; none was stored",
                    Map.of("errors", problems));
        }
        Map<String, Mempool.Accepted> fresh = new LinkedHashMap<>();
        checked.stream().filter(c -> c.known() == null).forEach(c -> fresh.putIfAbsent(c.accepted().txId(), c.accepted()));
        List<Mempool.Accepted> unique = List.copyOf(fresh.values());
        Instant now = clock.instant();
        Set<String> known = store(unique, roots(checked), now);
        accepted.increment(unique.size() - known.size());
        duplicates.increment(transactions.size() - (unique.size() - known.size()));
        List<Outcome> outcomes = new ArrayList<>();
        Set<String> answered = new java.util.HashSet<>();
        for (Checked c : checked) {
            String txId = c.accepted().txId();
            boolean firstMention = answered.add(txId);
            if (c.known() != null) {
                outcomes.add(new Outcome(c.known(), false));
            } else if (known.contains(txId)) {
                outcomes.add(new Outcome(mempool.find(txId).map(Status::of).orElseThrow(), false));
            } else {
                outcomes.add(new Outcome(new Status(txId, c.accepted().registerId(), Mempool.PENDING, null, null, now, null), firstMention));
            }
        }
        return outcomes;
    }

    private static Map<String, Object> problem(int index, ApiException e) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("index", index);
        problem.put("type", String.valueOf(e.getBody().getType()));
        problem.put("detail", e.getBody().getDetail());
        return problem;
    }

    /** The first steps of workflow instances among the new transactions: txId → the instance's root key. */
    private static Map<String, String> roots(List<Checked> checked) {
        Map<String, String> roots = new java.util.HashMap<>();
        for (Checked c : checked) {
            Mempool.Accepted a = c.accepted();
            if (c.known() == null && a.previousTxId() == null && a.instanceId() != null) {
                roots.put(a.txId(), WorkflowSteps.instanceRoot(a.registerId(), a.instanceId()));
            }
        }
        return roots;
    }

    /**
     * Claims each transaction's place after its previous one (an instance's first step claims the
     * instance's start), then stores them; a claim made here is given up if storing fails.
     */
    private Set<String> store(List<Mempool.Accepted> unique, Map<String, String> roots, Instant now) {
        Map<String, String> claimed = new LinkedHashMap<>(); // claim key -> txId
        boolean stored = false;
        try {
            for (Mempool.Accepted a : unique) {
                String key = a.previousTxId() != null ? a.previousTxId() : roots.get(a.txId());
                if (key != null) {
                    Mempool.Claim claim = mempool.claimSuccessor(key, a.txId());
                    if (claim.otherTxId() != null) {
                        throw new ApiException(HttpStatus.CONFLICT, "fork", "Conflict", a.previousTxId() != null
                                ? "Transaction " + claim.otherTxId() + " follows previous transaction " + a.previousTxId()
                                        + " already; a second successor would fork the chain"
                                : "Transaction " + claim.otherTxId() + " started this workflow instance already");
                    }
                    if (claim.created()) {
                        claimed.put(key, a.txId());
                    }
                }
            }
            Set<String> known = mempool.insert(unique, now);
            stored = true;
            pendingWork.arrived(unique.stream().filter(a -> !known.contains(a.txId())).map(Mempool.Accepted::registerId).distinct().toList());
            return known;
        } finally {
            if (!stored) {
                claimed.forEach(mempool::releaseSuccessor);
            }
        }
    }

    public Status status(Caller caller, String registerId, String txId) {
        if (!LedgerHashes.isHash(txId)) {
            throw ApiException.badRequest("invalid-transaction-id", "A transaction id is 64 lower-case hex digits");
        }
        Ids.require(registerId, "register");
        RegisterClient.RegisterInfo register = registers.register(registerId).orElseThrow(() -> ApiException.notFound("register"));
        Access.requireActingFor(caller, register.organizationId(), SUBMIT_SCOPE, "register");
        return mempool.find(txId).filter(e -> e.registerId().equals(registerId)).map(Status::of)
                .orElseThrow(() -> ApiException.notFound("transaction"));
    }

    /** A well-formed, correctly signed transaction for a register the caller may write to. */
    private record Candidate(Mempool.Accepted accepted, JsonNode tx, RegisterClient.RegisterInfo register) {
    }

    /** The checks of the record itself and of the caller's access, made for known transactions too. */
    private Candidate checkRecord(Caller caller, JsonNode tx) {
        String raw = TransactionChecks.record(tx, properties.maxTransactionBytes());
        String registerId = tx.path("registerId").stringValue();
        String txId = tx.path("txId").stringValue();
        RegisterClient.RegisterInfo register = registers.register(registerId).orElseThrow(() -> ApiException.notFound("register"));
        Access.requireActingFor(caller, register.organizationId(), SUBMIT_SCOPE, "register");
        if (register.replica()) {
            throw new ApiException(HttpStatus.CONFLICT, "register-is-replica", "Conflict", "Register " + registerId
                    + " is a read-only replica of node " + register.homeNodeId() + "; submit on its home installation",
                    Map.of("homeNodeId", String.valueOf(register.homeNodeId())));
        }
        if (SealingKeys.isKeyChange(tx)) {
            checkKeyChange(tx, registerId);
        }
        String previous = tx.path("previousTxId").isString() ? tx.path("previousTxId").stringValue() : null;
        boolean workflow = StepTransaction.isWorkflowStep(tx);
        return new Candidate(new Mempool.Accepted(txId, registerId, raw, previous, workflow ? tx.path("instanceId").asString(null) : null,
                workflow ? WorkflowSteps.summary(tx) : null), tx, register);
    }

    /** A key change must be signed by a sealing key in force now and leave a valid set; it is checked again when sealed. */
    private void checkKeyChange(JsonNode tx, String registerId) {
        SealingKeys keys = registers.sealingKeys(registerId)
                .orElseThrow(() -> ApiException.badRequest("invalid-key-change", "The register has no sealing keys before its genesis docket"));
        try {
            keys.apply(tx);
        } catch (RuleException e) {
            throw ApiException.badRequest("invalid-key-change", e.getMessage());
        }
    }

    /**
     * The checks a transaction must pass to be stored: timing, the previous transaction (stored
     * already and not rejected, sealed, or earlier in the same batch), and for a workflow step
     * the workflow's rules ({@link WorkflowSteps}).
     */
    private void checkFresh(Candidate candidate, Map<String, Candidate> earlierInBatch) {
        JsonNode tx = candidate.tx();
        String registerId = candidate.accepted().registerId();
        String previous = candidate.accepted().previousTxId();
        TransactionChecks.timing(Instant.parse(tx.path("timestamp").stringValue()), clock.instant(), properties.maxClockSkew(),
                properties.maxAge());
        boolean workflow = StepTransaction.isWorkflowStep(tx);
        JsonNode previousTx = null;
        if (previous != null) {
            Candidate inBatch = earlierInBatch.get(previous);
            if (inBatch != null && inBatch.accepted().registerId().equals(registerId)) {
                previousTx = inBatch.tx();
            } else {
                previousTx = previousTransaction(registerId, previous, workflow)
                        .orElseThrow(() -> ApiException.badRequest("unknown-previous-transaction", "previousTxId " + previous
                                + " is not a transaction of this register"));
            }
        }
        if (workflow) {
            workflowSteps.check(tx, candidate.register().organizationId(), previousTx);
        }
    }

    /**
     * The previous transaction of this register, if it exists and was not rejected: its content
     * when {@code content} is asked for (the mempool's copy while pending, the register's once
     * sealed), otherwise any non-null node.
     */
    private Optional<JsonNode> previousTransaction(String registerId, String previous, boolean content) {
        Optional<Mempool.Entry> entry = mempool.find(previous);
        if (entry.isPresent()) {
            Mempool.Entry e = entry.get();
            if (!e.registerId().equals(registerId) || Mempool.REJECTED.equals(e.status())) {
                return Optional.empty();
            }
            if (!content) {
                return Optional.of(tools.jackson.databind.node.NullNode.getInstance());
            }
            if (e.raw() != null) {
                return Optional.of(json.readTree(e.raw()));
            }
            if (e.step() != null) {
                return Optional.of(WorkflowSteps.previous(e.step(), json));
            }
        }
        if (!content) {
            return registers.sealedHeight(registerId, previous).map(h -> tools.jackson.databind.node.NullNode.getInstance());
        }
        return registers.transaction(registerId, previous);
    }
}
