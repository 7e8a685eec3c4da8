package dev.cairn.platform.workflow;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * A blueprint in the JSON model of the .NET reference, so that a blueprint written for it reads
 * unchanged: participants, and actions with their schemas, calculations, routes, rejection and
 * disclosure rules and form. {@link #parse} reads any JSON object, noting every field of the
 * wrong type as an error and every field Cairn does not act on as a warning; {@link BlueprintRules}
 * then checks that the parts fit together.
 */
public record Blueprint(String title, String description, List<Participant> participants, List<Action> actions) {

    public record Participant(String id, String name, String organisation, String walletAddress) {
    }

    /**
     * @param calculations output field → JSON Logic expression, applied in document order
     * @param form         the user-interface layout, kept and served as given
     */
    public record Action(int id, String title, String description, String sender, boolean starting, List<JsonNode> dataSchemas,
            Map<String, JsonNode> calculations, List<Route> routes, Rejection rejection, List<Disclosure> disclosures,
            List<Integer> requiredPriorActions, List<String> requiredActionData, JsonNode form, String pointer) {
    }

    /**
     * @param condition      JSON Logic; null for an unconditional route
     * @param branchDeadline how long each branch a parallel route starts may stay open (null: no limit)
     */
    public record Route(String id, List<Integer> nextActionIds, JsonNode condition, boolean isDefault, String description,
            Duration branchDeadline) {
    }

    /** {@code rejectionConfig}: where a rejection of the action sends the workflow. */
    public record Rejection(int targetActionId, String targetParticipantId, boolean requireReason, JsonNode rejectionSchema, boolean terminal) {
    }

    /** Which parts of an action's data a participant (or a literal wallet address) receives: JSON Pointers, {@code /*} for all. */
    public record Disclosure(String participant, List<String> pointers) {
    }

    /** The outcome of reading a document: the blueprint as far as it could be read, and what was wrong with it. */
    public record Parsed(Blueprint blueprint, List<Problem> errors, List<Problem> warnings) {
    }

    public Optional<Action> action(int id) {
        return actions.stream().filter(a -> a.id() == id).findFirst();
    }

    public Optional<Participant> participant(String id) {
        return participants.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The actions an instance starts with: those marked {@code isStartingAction}, or else the first one. */
    public List<Action> startingActions() {
        List<Action> marked = actions.stream().filter(Action::starting).toList();
        return !marked.isEmpty() || actions.isEmpty() ? marked : List.of(actions.get(0));
    }

    // ---- reading the reference's JSON ----

    private static final Set<String> BLUEPRINT_FIELDS = Set.of("title", "description", "participants", "actions", "id", "version",
            "createdAt", "updatedAt", "organizationId", "metadata");
    /** Fields of the reference that Cairn reads past: they mean something there, nothing here. */
    private static final Map<String, String> BLUEPRINT_IGNORED = Map.of(
            "@context", "JSON-LD context is kept but not interpreted",
            "@type", "JSON-LD type is kept but not interpreted",
            "dataSchemas", "blueprint-level reference schemas are not used: each action's dataSchemas must stand alone");
    private static final Set<String> PARTICIPANT_FIELDS = Set.of("id", "name", "organisation", "walletAddress", "description", "type");
    private static final Map<String, String> PARTICIPANT_IGNORED = Map.of(
            "@type", "JSON-LD type is not interpreted",
            "didUri", "DIDs are not resolved; participants are bound to wallet addresses when an instance starts",
            "verifiableCredential", "credentials are not checked",
            "additionalProperties", "not used",
            "useStealthAddress", "stealth addresses are not supported");
    private static final Set<String> ACTION_FIELDS = Set.of("id", "title", "description", "sender", "isStartingAction", "dataSchemas",
            "calculations", "routes", "rejectionConfig", "disclosures", "requiredPriorActions", "requiredActionData", "form");
    private static final Map<String, String> ACTION_IGNORED = Map.ofEntries(
            Map.entry("@type", "JSON-LD type is not interpreted"),
            Map.entry("target", "not used: routes decide what follows"),
            Map.entry("additionalRecipients", "not used: disclosures decide who receives the data"),
            Map.entry("condition", "the action-level condition is not evaluated: routes decide what follows"),
            Map.entry("participants", "legacy routing conditions are not evaluated: routes decide what follows"),
            Map.entry("previousTxId", "set by Cairn for each step"),
            Map.entry("blueprint", "set by Cairn for each step"),
            Map.entry("previousData", "not used: calculations see the instance's accumulated data"),
            Map.entry("published", "publishing is a call, not a field"),
            Map.entry("additionalProperties", "not used"));
    private static final Set<String> ROUTE_FIELDS = Set.of("id", "nextActionIds", "condition", "isDefault", "description", "branchDeadline");
    private static final Set<String> REJECTION_FIELDS = Set.of("targetActionId", "targetParticipantId", "requireReason", "rejectionSchema",
            "isTerminal");
    private static final Set<String> DISCLOSURE_FIELDS = Set.of("participantAddress", "dataPointers");

    /** Reads a blueprint document in the reference's JSON model. */
    public static Parsed parse(JsonNode document) {
        Reader reader = new Reader();
        Blueprint blueprint = reader.blueprint(document);
        return new Parsed(blueprint, List.copyOf(reader.errors), List.copyOf(reader.warnings));
    }

    private static final class Reader {
        final List<Problem> errors = new ArrayList<>();
        final List<Problem> warnings = new ArrayList<>();

        Blueprint blueprint(JsonNode document) {
            if (!document.isObject()) {
                errors.add(new Problem("", "a blueprint is a JSON object"));
                return new Blueprint("", "", List.of(), List.of());
            }
            fields(document, "", BLUEPRINT_FIELDS, BLUEPRINT_IGNORED);
            credentials(document, "");
            String title = string(document, "", "title", true);
            String description = string(document, "", "description", false);
            List<Participant> participants = new ArrayList<>();
            each(document, "", "participants", true, (node, pointer) -> participants.add(participant(node, pointer)));
            List<Action> actions = new ArrayList<>();
            each(document, "", "actions", true, (node, pointer) -> actions.add(action(node, pointer)));
            return new Blueprint(title == null ? "" : title, description, List.copyOf(participants), List.copyOf(actions));
        }

        Participant participant(JsonNode node, String pointer) {
            if (!object(node, pointer)) {
                return new Participant("", null, null, null);
            }
            fields(node, pointer, PARTICIPANT_FIELDS, PARTICIPANT_IGNORED);
            String id = string(node, pointer, "id", true);
            return new Participant(id == null ? "" : id, string(node, pointer, "name", false), string(node, pointer, "organisation", false),
                    string(node, pointer, "walletAddress", false));
        }

        Action action(JsonNode node, String pointer) {
            if (!object(node, pointer)) {
                return new Action(-1, "", null, "", false, List.of(), Map.of(), List.of(), null, List.of(), List.of(), List.of(),
                        NullNode.getInstance(), pointer);
            }
            fields(node, pointer, ACTION_FIELDS, ACTION_IGNORED);
            credentials(node, pointer);
            Integer id = integer(node, pointer, "id", true);
            String sender = string(node, pointer, "sender", true);
            List<JsonNode> schemas = new ArrayList<>();
            each(node, pointer, "dataSchemas", false, (schema, at) -> schemas.add(schema));
            Map<String, JsonNode> calculations = new LinkedHashMap<>();
            JsonNode calc = node.path("calculations");
            if (present(calc)) {
                if (calc.isObject()) {
                    calc.properties().forEach(e -> calculations.put(e.getKey(), e.getValue()));
                } else {
                    errors.add(new Problem(Problem.child(pointer, "calculations"), "calculations must be an object of output field → JSON Logic"));
                }
            }
            List<Route> routes = new ArrayList<>();
            each(node, pointer, "routes", false, (route, at) -> routes.add(route(route, at)));
            Rejection rejection = null;
            JsonNode rejectionNode = node.path("rejectionConfig");
            if (present(rejectionNode) && object(rejectionNode, Problem.child(pointer, "rejectionConfig"))) {
                rejection = rejection(rejectionNode, Problem.child(pointer, "rejectionConfig"));
            }
            List<Disclosure> disclosures = new ArrayList<>();
            each(node, pointer, "disclosures", false, (d, at) -> {
                if (object(d, at)) {
                    fields(d, at, DISCLOSURE_FIELDS, Map.of());
                    String participant = string(d, at, "participantAddress", true);
                    List<String> pointers = new ArrayList<>();
                    each(d, at, "dataPointers", true, (p, pAt) -> {
                        if (p.isString()) {
                            pointers.add(p.stringValue());
                        } else {
                            errors.add(new Problem(pAt, "a data pointer is a string"));
                        }
                    });
                    disclosures.add(new Disclosure(participant == null ? "" : participant, List.copyOf(pointers)));
                }
            });
            List<Integer> prior = new ArrayList<>();
            each(node, pointer, "requiredPriorActions", false, (p, at) -> {
                if (p.isIntegralNumber() && p.canConvertToInt()) {
                    prior.add(p.intValue());
                } else {
                    errors.add(new Problem(at, "an action id is a whole number"));
                }
            });
            List<String> requiredData = new ArrayList<>();
            each(node, pointer, "requiredActionData", false, (p, at) -> {
                if (p.isString()) {
                    requiredData.add(p.stringValue());
                } else {
                    errors.add(new Problem(at, "a field name is a string"));
                }
            });
            if (!requiredData.isEmpty() && !schemas.isEmpty()) {
                warnings.add(new Problem(Problem.child(pointer, "requiredActionData"), "only used when the action has no dataSchemas"));
            }
            String title = string(node, pointer, "title", false);
            Boolean starting = bool(node, pointer, "isStartingAction");
            JsonNode form = node.has("form") ? node.get("form") : NullNode.getInstance();
            return new Action(id == null ? -1 : id, title == null ? "Action " + (id == null ? "?" : id) : title,
                    string(node, pointer, "description", false), sender == null ? "" : sender, Boolean.TRUE.equals(starting),
                    List.copyOf(schemas), java.util.Collections.unmodifiableMap(calculations), List.copyOf(routes), rejection,
                    List.copyOf(disclosures), List.copyOf(prior), List.copyOf(requiredData), form, pointer);
        }

        Route route(JsonNode node, String pointer) {
            if (!object(node, pointer)) {
                return new Route("", List.of(), null, false, null, null);
            }
            fields(node, pointer, ROUTE_FIELDS, Map.of());
            String id = string(node, pointer, "id", true);
            List<Integer> next = new ArrayList<>();
            each(node, pointer, "nextActionIds", true, (n, at) -> {
                if (n.isIntegralNumber() && n.canConvertToInt()) {
                    next.add(n.intValue());
                } else {
                    errors.add(new Problem(at, "an action id is a whole number"));
                }
            });
            JsonNode condition = node.path("condition");
            Boolean isDefault = bool(node, pointer, "isDefault");
            Duration deadline = null;
            String deadlineText = string(node, pointer, "branchDeadline", false);
            if (deadlineText != null) {
                deadline = duration(deadlineText);
                if (deadline == null || deadline.isNegative() || deadline.isZero()) {
                    errors.add(new Problem(Problem.child(pointer, "branchDeadline"),
                            "branchDeadline must be a positive ISO-8601 duration in days, hours, minutes or seconds (e.g. P7D, PT12H)"));
                    deadline = null;
                }
            }
            return new Route(id == null ? "" : id, List.copyOf(next), present(condition) ? condition : null, Boolean.TRUE.equals(isDefault),
                    string(node, pointer, "description", false), deadline);
        }

        Rejection rejection(JsonNode node, String pointer) {
            fields(node, pointer, REJECTION_FIELDS, Map.of());
            Integer target = integer(node, pointer, "targetActionId", true);
            Boolean requireReason = bool(node, pointer, "requireReason");
            Boolean terminal = bool(node, pointer, "isTerminal");
            JsonNode schema = node.path("rejectionSchema");
            return new Rejection(target == null ? -1 : target, string(node, pointer, "targetParticipantId", false),
                    requireReason == null || requireReason, present(schema) ? schema : null, Boolean.TRUE.equals(terminal));
        }

        /** Credentials are enforced by the reference; Cairn does not check them, so it refuses to run a blueprint that relies on them. */
        void credentials(JsonNode node, String pointer) {
            for (String field : List.of("credentialRequirements", "credentialIssuanceConfig")) {
                JsonNode value = node.path(field);
                if (present(value) && !(value.isArray() && value.isEmpty())) {
                    errors.add(new Problem(Problem.child(pointer, field), "verifiable credentials are not supported: Cairn would not enforce "
                            + field + ", so it does not run a blueprint that relies on them"));
                }
            }
        }

        void fields(JsonNode node, String pointer, Set<String> known, Map<String, String> ignored) {
            for (String name : node.propertyNames()) {
                if (known.contains(name) || name.startsWith("credential")) {
                    continue;
                }
                String why = ignored.get(name);
                warnings.add(new Problem(Problem.child(pointer, name), why != null ? "ignored: " + why : "unknown field, ignored"));
            }
        }

        interface Element {
            void accept(JsonNode node, String pointer);
        }

        void each(JsonNode node, String pointer, String field, boolean required, Element element) {
            JsonNode array = node.path(field);
            String at = Problem.child(pointer, field);
            if (!present(array)) {
                if (required) {
                    errors.add(new Problem(at, field + " is required"));
                }
                return;
            }
            if (!array.isArray()) {
                errors.add(new Problem(at, field + " must be an array"));
                return;
            }
            for (int i = 0; i < array.size(); i++) {
                element.accept(array.get(i), Problem.child(at, i));
            }
        }

        boolean object(JsonNode node, String pointer) {
            if (!node.isObject()) {
                errors.add(new Problem(pointer, "must be a JSON object"));
                return false;
            }
            return true;
        }

        String string(JsonNode node, String pointer, String field, boolean required) {
            JsonNode value = node.path(field);
            if (!present(value)) {
                if (required) {
                    errors.add(new Problem(Problem.child(pointer, field), field + " is required"));
                }
                return null;
            }
            if (!value.isString()) {
                errors.add(new Problem(Problem.child(pointer, field), field + " must be a string"));
                return null;
            }
            return value.stringValue();
        }

        Integer integer(JsonNode node, String pointer, String field, boolean required) {
            JsonNode value = node.path(field);
            if (!present(value)) {
                if (required) {
                    errors.add(new Problem(Problem.child(pointer, field), field + " is required"));
                }
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
                errors.add(new Problem(Problem.child(pointer, field), field + " must be a whole number >= 0"));
                return null;
            }
            return value.intValue();
        }

        Boolean bool(JsonNode node, String pointer, String field) {
            JsonNode value = node.path(field);
            if (!present(value)) {
                return null;
            }
            if (!value.isBoolean()) {
                errors.add(new Problem(Problem.child(pointer, field), field + " must be true or false"));
                return null;
            }
            return value.booleanValue();
        }
    }

    static boolean present(JsonNode value) {
        return !value.isMissingNode() && !value.isNull();
    }

    /** An ISO-8601 duration of days, hours, minutes and seconds ({@code P7D}, {@code P2W}, {@code PT12H}); null when it is none. */
    static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            try {
                Period period = Period.parse(text);
                return period.getYears() == 0 && period.getMonths() == 0 ? Duration.ofDays(period.getDays()) : null;
            } catch (DateTimeParseException notAPeriod) {
                return null;
            }
        }
    }
}
