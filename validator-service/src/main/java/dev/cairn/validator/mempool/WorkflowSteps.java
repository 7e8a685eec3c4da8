package dev.cairn.validator.mempool;

import java.time.Clock;
import java.time.Instant;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.InstanceState;
import dev.cairn.platform.workflow.StepTransaction;
import dev.cairn.validator.clients.BlueprintClient;
import dev.cairn.validator.clients.SystemWallet;
import dev.cairn.validator.config.ValidatorProperties;
import dev.cairn.ledger.ObjectIds;
import tools.jackson.databind.JsonNode;

/**
 * The validator's own check of a workflow step (a transaction naming a blueprint): the blueprint
 * version is a published one of the register's organisation; the validator copy is for this
 * installation's validators; opened, it replays the step from the state the previous step
 * committed to ({@link StepTransaction#check}); and the branch's deadline has not passed by the
 * validator's own clock. Nothing the blueprint service says is taken on trust.
 */
@Component
public class WorkflowSteps {

    private final BlueprintClient blueprints;
    private final SystemWallet wallet;
    private final ValidatorProperties properties;
    private final Clock clock;

    WorkflowSteps(BlueprintClient blueprints, SystemWallet wallet, ValidatorProperties properties, Clock clock) {
        this.blueprints = blueprints;
        this.wallet = wallet;
        this.properties = properties;
        this.clock = clock;
    }

    /** What the next step of the instance is checked against, kept with the step in the mempool. */
    static org.bson.Document summary(JsonNode tx) {
        return new org.bson.Document("blueprintId", tx.path("blueprintId").asString(null))
                .append("blueprintVersion", tx.path("blueprintVersion").isIntegralNumber() ? tx.path("blueprintVersion").intValue() : null)
                .append("instanceId", tx.path("instanceId").asString(null)).append("timestamp", tx.path("timestamp").asString(null))
                .append("stateHash", tx.path("payload").path("stateHash").asString(null));
    }

    /** A previous step as {@link StepTransaction#check} reads it, from its summary. */
    static JsonNode previous(org.bson.Document summary, tools.jackson.databind.json.JsonMapper json) {
        tools.jackson.databind.node.ObjectNode previous = json.createObjectNode().put("blueprintId", summary.getString("blueprintId"))
                .put("instanceId", summary.getString("instanceId")).put("timestamp", summary.getString("timestamp"));
        Integer version = summary.getInteger("blueprintVersion");
        if (version != null) {
            previous.put("blueprintVersion", version);
        }
        previous.putObject("payload").put("stateHash", summary.getString("stateHash"));
        return previous;
    }

    /** The chain-link key a step without a previous transaction claims: an instance starts once. */
    static String instanceRoot(String registerId, String instanceId) {
        return "instance:" + registerId + ":" + instanceId;
    }

    /**
     * @param previous the transaction the step follows (null for an instance's first step)
     * @throws ApiException a 4xx naming the first rule the step breaks
     */
    void check(JsonNode tx, String organizationId, JsonNode previous) {
        String blueprintId = tx.path("blueprintId").asString("");
        if (!ObjectIds.isValid(blueprintId)) {
            throw ApiException.badRequest("unknown-blueprint", "blueprintId must name a published blueprint (32 lower-case hex digits)");
        }
        JsonNode version = tx.path("blueprintVersion");
        if (!version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() < 1) {
            throw ApiException.badRequest("invalid-workflow-step", "blueprintVersion must name a published version (1, 2, ...)");
        }
        String instanceId = tx.path("instanceId").asString("");
        if (instanceId.isEmpty() || instanceId.length() > 64) {
            throw ApiException.badRequest("invalid-workflow-step", "instanceId is required (at most 64 characters)");
        }
        BlueprintClient.Published published = blueprints.version(blueprintId, version.intValue())
                .filter(p -> p.organizationId().equals(organizationId))
                .orElseThrow(() -> ApiException.badRequest("unknown-blueprint", "Version " + version.intValue() + " of blueprint " + blueprintId
                        + " is not a published blueprint of the register's organisation"));
        JsonNode copy = tx.path("payload").path("validatorCopy");
        SystemWallet.Wallet recipient = wallet.byAddress(copy.path("walletAddress").asString(""))
                .orElseThrow(() -> ApiException.badRequest("validator-copy-not-for-us", "payload.validatorCopy must be encrypted to "
                        + "this installation's validators: the wallet that signed the register's genesis docket"));
        byte[] plaintext = copy.path("ciphertext").isString() ? wallet.decrypt(recipient, copy.path("ciphertext").stringValue()) : null;
        if (plaintext == null) {
            throw ApiException.badRequest("invalid-workflow-step", "The validator copy cannot be opened with the validators' wallet");
        }
        StepTransaction.Copy opened = StepTransaction.copy(plaintext);
        StepTransaction.check(published.workflow(), tx, opened, previous);
        String tokenId = tx.path("payload").path("token").asString("");
        InstanceState.Token token = opened.prior().open().stream().filter(t -> t.id().equals(tokenId)).findFirst().orElseThrow();
        Instant now = clock.instant();
        if (token.deadline() != null && now.isAfter(token.deadline().plus(properties.maxClockSkew()))) {
            throw new ApiException(HttpStatus.CONFLICT, "branch-deadline-passed", "Conflict", "The deadline of branch " + token.branch()
                    + " passed at " + token.deadline());
        }
    }
}
