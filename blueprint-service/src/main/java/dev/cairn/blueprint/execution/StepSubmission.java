package dev.cairn.blueprint.execution;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.cairn.blueprint.clients.ValidatorClient;
import dev.cairn.blueprint.instances.InstanceStore;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.platform.problem.ApiException;

/**
 * Handing a stored step's signed transaction to the validator. Any replica can do it for any
 * step (the transaction is stored whole), and doing it twice is harmless (the validator knows a
 * transaction by its id). A step goes after the step before it: that one is submitted first if
 * it is still waiting. A step the validator refuses is removed, with any step built on it.
 *
 * <p>Each replica remembers the steps it submitted (the last 100,000), so that of the register's
 * events, which reach every replica, each replica acts on those of its own steps; the sweep
 * settles the steps of a replica that died before their events came.
 */
@Component
public class StepSubmission {

    private static final Logger log = LoggerFactory.getLogger(StepSubmission.class);

    private final InstanceStore store;
    private final ValidatorClient validator;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, Long> submittedHere = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 100_000;
        }
    });

    StepSubmission(InstanceStore store, ValidatorClient validator, JsonMapper json, Clock clock) {
        this.store = store;
        this.validator = validator;
        this.json = json;
        this.clock = clock;
    }

    /** The step (its seq) that this replica submitted with this transaction, if it did; forgotten once asked. */
    public Long submittedHere(String txId) {
        return submittedHere.remove(txId);
    }

    /** The step, submitted if it was not yet. */
    public InstanceStore.Step ensureSubmitted(InstanceStore.Step step) {
        return InstanceStore.SUBMITTING.equals(step.status()) ? submit(step) : step;
    }

    /**
     * Submits the step (after its predecessor).
     *
     * @throws ApiException the validator's refusal (the step is removed), or 409 when the step
     *                      before it failed meanwhile
     * @throws ServiceHttp.UnreachableException when the validator cannot answer: the step stays,
     *                      and the sweep submits it later
     */
    public InstanceStore.Step submit(InstanceStore.Step step) {
        if (step.seq() > 1) {
            Optional<InstanceStore.Step> previous = store.step(step.instanceId(), step.seq() - 1);
            if (previous.isEmpty() || !previous.get().txId().equals(step.previousTxId())) {
                store.fail(step, "the step before it failed", clock.instant());
                throw ApiException.conflict("step-superseded", "The step this one followed failed; the action is open again: execute it again");
            }
            ensureSubmitted(previous.get());
        }
        submittedHere.put(step.txId(), step.seq()); // before submitting: its seal may come before the answer
        ValidatorClient.Answer answer = validator.submit(json.readTree(step.transaction()));
        if (answer.accepted()) {
            store.markSubmitted(step);
            return InstanceStore.SUBMITTING.equals(step.status()) ? step.withStatus(InstanceStore.PENDING) : step;
        }
        submittedHere.remove(step.txId());
        if (answer.refused() && answer.status() != 401 && answer.status() != 403 && answer.status() != 404) {
            String reason = answer.body().path("detail").asString("refused by the validator");
            log.warn("The validator refused step {} of instance {} ({}): {}", step.seq(), step.instanceId(), answer.problemType(), reason);
            store.fail(step, reason, clock.instant());
            throw new ApiException(HttpStatus.valueOf(answer.status() == 409 ? 409 : 400), "refused-by-validator",
                    answer.status() == 409 ? "Conflict" : "Invalid request", "The validator refused the step: " + reason,
                    Map.of("validatorProblem", answer.problemType()));
        }
        throw new ServiceHttp.UnreachableException("validator-service answered " + answer.status() + "; step " + step.seq() + " of instance "
                + step.instanceId() + " is kept and will be submitted again", null);
    }
}
