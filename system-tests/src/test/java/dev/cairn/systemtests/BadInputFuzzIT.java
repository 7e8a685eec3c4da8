package dev.cairn.systemtests;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.instancio.junit.Given;
import org.instancio.junit.InstancioExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.localcluster.LocalCluster;
import dev.cairn.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input at scale: requests built from the services' own OpenAPI documents (every public
 * route, each operation with its parameters and body schema), each carrying one defect drawn at
 * random: no token or a forged one, another organisation's object, a malformed id, a query
 * parameter of the wrong type or out of range, a body that is malformed, of the wrong types,
 * incomplete, oversized or of the wrong media type. Every answer must be below 500, every refusal
 * problem+json, a write with a defect refused, another organisation's object never shown; and
 * afterwards no document or row in any store has been added or removed.
 *
 * <p>The draws come from Instancio ({@code @Given}): a failure names its seed, and {@code @Seed}
 * on the test reproduces it.
 */
@ExtendWith({SharedCluster.class, InstancioExtension.class})
class BadInputFuzzIT {

    private static final int SAMPLES = 1200;
    private static final List<String> SERVICES = List.of("tenant-service", "wallet-service", "register-service", "validator-service",
            "blueprint-service", "peer-service");
    private static final String JSON = "application/json";
    /**
     * Operations every organisation may call on any wallet: what encrypting to a workflow
     * participant needs (docs/wallets.md), so another organisation's wallet is not a defect there.
     */
    private static final Set<String> OPEN_TO_EVERY_ORGANISATION = Set.of("GET /api/wallets/{address}/public-key",
            "POST /api/wallets/{address}/encrypt");
    /**
     * Reads that search only the caller's own organisation: another organisation asking about our
     * wallet gets an answer, but one made of its own registers (here, none).
     */
    private static final Set<String> SCOPED_TO_THE_CALLER = Set.of("GET /api/query/wallets/{address}/transactions");

    /** One random draw; each field is read modulo what it chooses among. */
    record Draw(int operation, int defect, int variant, int target, String text, long number) {
    }

    /** An operation of an OpenAPI document. */
    record Operation(String service, String method, String path, boolean secured, List<Parameter> parameters, JsonNode bodySchema) {

        boolean hasBody() {
            return bodySchema != null;
        }

        List<Parameter> in(String where) {
            return parameters.stream().filter(p -> p.in().equals(where)).toList();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    record Parameter(String name, String in, String type) {
    }

    /** The defects a request can carry. */
    enum Defect { NO_TOKEN, BAD_TOKEN, OTHER_ORGANISATION, BAD_PATH_ID, BAD_QUERY, BAD_BODY }

    private static Http front;
    private static String ours;
    private static String theirs;
    private static Map<String, String> ourObjects;
    private static List<Operation> operations;
    private static StoreCounts.Snapshot before;
    private static LocalCluster cluster;
    private static final Map<String, Integer> tried = new ConcurrentHashMap<>();

    @BeforeAll
    static void prepare(LocalCluster shared) throws Exception {
        cluster = shared;
        front = new Http(cluster.frontUrl());
        ours = Installation.adminToken(cluster);
        String email = "fuzz-" + System.nanoTime() + "@other.test";
        HttpResponse<String> organization = front.post("/api/tenants/organizations", ours, JSON, "{\"name\":\"Fuzz " + System.nanoTime()
                + "\",\"adminEmail\":\"" + email + "\",\"adminPassword\":\"other organisation password\",\"adminName\":\"Other\"}");
        assertThat(organization.statusCode()).as(organization.body()).isEqualTo(201);
        theirs = Json.field(Installation.login(front, email, "other organisation password").body(), "accessToken");
        ourObjects = objectsOf(ours);

        operations = new ArrayList<>();
        for (String service : SERVICES) {
            HttpResponse<String> document = front.get("/api/docs/" + service);
            assertThat(document.statusCode()).as(service + " OpenAPI document").isEqualTo(200);
            operations.addAll(operations(service, Json.read(document.body())));
        }
        assertThat(operations).as("operations in the OpenAPI documents").hasSizeGreaterThan(80);
        // a public operation without parameters or body (the JWKS, a peer's info) takes no input that could be bad
        operations.removeIf(operation -> possibleDefects(operation).isEmpty());
        assertThat(operations).noneMatch(o -> o.parameters().stream().anyMatch(p -> p.name().equals("caller")))
                .as("no operation documents the caller, which the token checks resolve, as a parameter");
        before = StoreCounts.of(cluster);
    }

    @RepeatedTest(SAMPLES)
    void everyRouteRefusesBadInputWithAProblemAndChangesNothing(@Given Draw draw) {
        Operation operation = operations.get(Math.floorMod(draw.operation(), operations.size()));
        List<Defect> possible = possibleDefects(operation);
        Defect defect = possible.get(Math.floorMod(draw.defect(), possible.size()));
        tried.merge(defect.name(), 1, Integer::sum);
        HttpRequest request = request(operation, defect, draw);
        HttpResponse<String> response = front.send(request);
        String what = defect + " " + request.method() + " " + request.uri().getRawPath()
                + (request.uri().getRawQuery() == null ? "" : "?" + abbreviate(request.uri().getRawQuery())) + " → " + response.statusCode()
                + " " + abbreviate(response.body());

        assertThat(response.statusCode()).as("no server error: " + what).isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as("a problem: " + what).startsWith("application/problem+json");
            JsonNode problem = Json.read(response.body());
            assertThat(problem.path("status").asInt()).as("the problem's status: " + what).isEqualTo(response.statusCode());
            assertThat(problem.path("title").asString()).as("the problem's title: " + what).isNotBlank();
        } else if (defect == Defect.OTHER_ORGANISATION && SCOPED_TO_THE_CALLER.contains(operation.toString())) {
            assertThat(Json.read(response.body()).path("total").asLong()).as("nothing of ours shown: " + what).isZero();
        } else {
            // only a read may answer a defective request, and only when the defect is a query parameter it ignores or clamps
            assertThat(defect).as("a defect let through: " + what).isEqualTo(Defect.BAD_QUERY);
            assertThat(request.method()).as("a write with a defect accepted: " + what).isEqualTo("GET");
        }
    }

    @AfterAll
    static void nothingWasStoredAndEveryDefectWasTried() {
        StoreCounts.Snapshot after = StoreCounts.of(cluster);
        assertThat(after.differencesFrom(before)).as("documents and rows added or removed by the refused requests").isEmpty();
        assertThat(tried.keySet()).as("defects tried").hasSameSizeAs(Defect.values());
        Figures.record("bad input fuzzing", SAMPLES + " requests over " + operations.size() + " operations of " + SERVICES.size()
                + " OpenAPI documents, by defect " + tried + "; no 5xx, every refusal problem+json, " + before.size()
                + " collections and tables unchanged");
    }

    // ---- the operations -------------------------------------------------------------------

    private static List<Operation> operations(String service, JsonNode document) {
        List<Operation> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode operation = method.getValue();
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode parameter : operation.path("parameters")) {
                    if (!parameter.path("in").asString().equals("header")) {
                        parameters.add(new Parameter(parameter.path("name").asString(), parameter.path("in").asString(),
                                parameter.path("schema").path("type").asString("string")));
                    }
                }
                JsonNode body = operation.path("requestBody").path("content").path(JSON).path("schema");
                found.add(new Operation(service, method.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                        !operation.path("security").isEmpty(), parameters, body.isMissingNode() ? null : resolve(document, body)));
            }
        }
        return found;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.startsWith("#/components/schemas/") ? document.path("components").path("schemas").path(ref.substring(21)) : schema;
    }

    private static List<Defect> possibleDefects(Operation operation) {
        List<Defect> defects = new ArrayList<>();
        if (operation.secured()) {
            defects.add(Defect.NO_TOKEN);
            defects.add(Defect.BAD_TOKEN);
        }
        if (operation.secured() && !OPEN_TO_EVERY_ORGANISATION.contains(operation.toString()) && !operation.in("path").isEmpty()
                && operation.in("path").stream().allMatch(p -> objectFor(operation, p) != null)) {
            defects.add(Defect.OTHER_ORGANISATION);
        }
        if (!operation.in("path").isEmpty()) {
            defects.add(Defect.BAD_PATH_ID);
        }
        if (operation.method().equals("GET") && !operation.in("query").isEmpty()) {
            defects.add(Defect.BAD_QUERY);
        }
        if (operation.hasBody()) {
            defects.add(Defect.BAD_BODY);
        }
        return defects;
    }

    // ---- building a request with one defect ---------------------------------------------------

    private static HttpRequest request(Operation operation, Defect defect, Draw draw) {
        String token = switch (defect) {
            case NO_TOKEN -> null;
            case BAD_TOKEN -> badToken(draw);
            case OTHER_ORGANISATION -> theirs;
            default -> ours;
        };
        Parameter broken = defect == Defect.BAD_PATH_ID ? pick(operation.in("path"), draw.target()) : null;
        String path = operation.path();
        for (Parameter parameter : operation.in("path")) {
            String value = parameter == broken ? badId(draw, valueFor(operation, parameter)) : valueFor(operation, parameter);
            path = path.replace("{" + parameter.name() + "}", URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        List<String> query = new ArrayList<>();
        if (defect == Defect.BAD_QUERY) {
            Parameter parameter = pick(operation.in("query"), draw.target());
            query.add(parameter.name() + "=" + URLEncoder.encode(badQueryValue(parameter, draw), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(cluster.frontUrl() + path + (query.isEmpty() ? "" : "?" + String.join("&", query))))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        String contentType = JSON;
        String body = operation.hasBody() ? validBody(operation) : null;
        if (defect == Defect.BAD_BODY) {
            Map.Entry<String, String> bad = badBody(operation, draw);
            contentType = bad.getKey();
            body = bad.getValue();
        }
        if (body == null) {
            return builder.method(operation.method(), HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", contentType).method(operation.method(), HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String badToken(Draw draw) {
        TestTokens stranger = new TestTokens("fuzz-key");
        Map<String, Object> claims = TestTokens.userClaims("cairn", "cairn", Instant.now());
        return switch (Math.floorMod(draw.variant(), 5)) {
            case 0 -> draw.text() == null ? "x" : draw.text();
            case 1 -> stranger.sign(stranger.header(), claims);
            case 2 -> stranger.unsigned(claims);
            case 3 -> TestTokens.alterClaim(ours, "roles", List.of("SystemAdmin"));
            default -> ours.substring(0, ours.length() / 2);
        };
    }

    /** A well-formed body the operation would take, but for the defect its test adds. */
    private static String validBody(Operation operation) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> property : operation.bodySchema().path("properties").properties()) {
            JsonNode schema = property.getValue();
            switch (schema.path("type").asString("")) {
                case "integer", "number" -> body.put(property.getKey(), 1);
                case "boolean" -> body.put(property.getKey(), false);
                case "array" -> body.putArray(property.getKey());
                case "object" -> body.putObject(property.getKey());
                default -> body.put(property.getKey(), schema.has("enum") ? schema.path("enum").get(0).asString() : "fuzz");
            }
        }
        return body.toString();
    }

    private static final List<String> MALFORMED = List.of("{", "{\"a\":", "[1,2", "nul", "{\"a\":1,}", "{'a':1}", "\u0000", "{\"a\":\"\\uZZZZ\"}",
            "{\"a\":1}{\"b\":2}", "1e999999", "\"just a string\"", "[]", "[{}]", "true");

    /** A defective body: malformed, of another media type, oversized, incomplete, or with a property of the wrong type. */
    private static Map.Entry<String, String> badBody(Operation operation, Draw draw) {
        int variant = Math.floorMod(draw.variant(), 8);
        List<String> properties = new ArrayList<>();
        operation.bodySchema().path("properties").properties().forEach(p -> properties.add(p.getKey()));
        switch (variant) {
            case 0:
                return Map.entry(JSON, MALFORMED.get(Math.floorMod(draw.target(), MALFORMED.size())));
            case 1:
                return Map.entry(Math.floorMod(draw.target(), 2) == 0 ? "text/plain" : "application/xml", "<fuzz>" + draw.text() + "</fuzz>");
            case 2:
                return Map.entry(JSON, "{\"blob\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}");
            case 3:
                return Map.entry(JSON, "[".repeat(5000) + "]".repeat(5000));
            default:
                break;
        }
        if (properties.isEmpty()) {
            return Map.entry(JSON, MALFORMED.get(Math.floorMod(draw.target(), MALFORMED.size())));
        }
        ObjectNode body = (ObjectNode) Json.read(validBody(operation));
        JsonNode required = operation.bodySchema().path("required");
        if (variant == 4 && !required.isEmpty()) {
            body.remove(required.get(Math.floorMod(draw.target(), required.size())).asString());
            return Map.entry(JSON, body.toString());
        }
        String name = pick(properties, draw.target());
        String type = operation.bodySchema().path("properties").path(name).path("type").asString("");
        // a value no reading of the schema accepts: a structure for a scalar, a word for a number, a number too large for any integer
        switch (type) {
            case "integer", "number" -> {
                if (Math.floorMod(draw.number(), 2) == 0) {
                    body.put(name, "not a number " + draw.text());
                } else {
                    body.set(name, Json.read("1" + "0".repeat(400)));
                }
            }
            case "array" -> body.put(name, draw.text() == null ? "x" : draw.text());
            case "object" -> body.putArray(name).add(draw.number());
            case "boolean" -> body.put(name, "perhaps " + draw.text());
            default -> {
                if (Math.floorMod(draw.number(), 2) == 0) {
                    body.putObject(name).put("nested", draw.number());
                } else {
                    body.putArray(name).add(draw.text());
                }
            }
        }
        // and an unknown field beside it
        body.put("fuzz" + Math.floorMod(draw.number(), 1000), draw.text());
        return Map.entry(JSON, body.toString());
    }

    private static final List<String> BAD_IDS = List.of("", " ", "..", "%", "0", "-1", "99999999999999999999999", "null", "ä\u0000",
            "0123456789abcdef0123456789abcdef", "cairn1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", "'; DROP TABLE users; --",
            "{\"$gt\":\"\"}", "../../actuator/env", "1.5", "true");

    /** A bad value for a path parameter: never the good one ({@code valid}), which "0" is for a height. */
    private static String badId(Draw draw, String valid) {
        for (int next = 0; ; next++) {
            int variant = Math.floorMod(draw.variant() + next, BAD_IDS.size() + 2);
            String bad = variant == BAD_IDS.size() ? "x".repeat(3000)
                    : variant == BAD_IDS.size() + 1 ? (draw.text() == null ? "fuzz" : draw.text())
                    : BAD_IDS.get(variant);
            if (!bad.equals(valid)) {
                return bad;
            }
        }
    }

    private static String badQueryValue(Parameter parameter, Draw draw) {
        List<String> values = parameter.type().equals("integer") || parameter.type().equals("number")
                ? List.of("abc", "-1", "-9223372036854775809", "99999999999999999999", "1e400", "1.5", "", Long.toString(draw.number()))
                : List.of("x".repeat(5000), "'\"<>", "\u0000", "%ZZ", draw.text() == null ? "" : draw.text(), "-1");
        return values.get(Math.floorMod(draw.variant(), values.size()));
    }

    // ---- the objects named in paths ---------------------------------------------------------

    /** The value of a path parameter: one of our objects of the kind the path names. */
    private static String valueFor(Operation operation, Parameter parameter) {
        String object = objectFor(operation, parameter);
        return object != null ? object : switch (parameter.name()) {
            case "height", "actionId" -> "0";
            case "version" -> "1";
            case "name" -> "fuzz";
            default -> "0123456789abcdef0123456789abcdef";
        };
    }

    /** Our object that a path parameter names, or null for a parameter that names no object (a height, a version). */
    private static String objectFor(Operation operation, Parameter parameter) {
        String path = operation.path();
        String kind = switch (parameter.name()) {
            case "address" -> "wallet";
            case "registerId" -> "register";
            case "txId" -> "transaction";
            case "nodeId" -> null;
            case "id" -> path.startsWith("/api/tenants/users") ? "user"
                    : path.startsWith("/api/tenants/service-principals") ? "principal"
                    : path.startsWith("/api/tenants/organizations") ? "organization"
                    : path.startsWith("/api/blueprints") ? "blueprint"
                    : path.startsWith("/api/instances") ? "instance"
                    : path.startsWith("/api/registers") || path.startsWith("/api/peers/registers") || path.startsWith("/api/validator/registers")
                            ? "register" : null;
            default -> null;
        };
        return kind == null ? null : ourObjects.get(kind);
    }

    /** One object of every kind, of the caller's organisation. */
    private static Map<String, String> objectsOf(String token) {
        Map<String, String> objects = new LinkedHashMap<>();
        String buyer = created(front.post("/api/wallets", token, JSON, "{\"name\":\"fuzz buyer\",\"algorithm\":\"ED25519\",\"wordCount\":12}"), "address");
        String supplier = created(front.post("/api/wallets", token, JSON, "{\"name\":\"fuzz supplier\",\"algorithm\":\"ED25519\",\"wordCount\":12}"),
                "address");
        objects.put("wallet", buyer);
        String registerId = Ledgers.onlineRegister(front, token, "Fuzz");
        objects.put("register", registerId);
        objects.put("transaction", Json.read(front.get("/api/registers/" + registerId + "/dockets/0", token).body()).path("docket")
                .path("transactionIds").get(0).asString());
        String document;
        try {
            document = java.nio.file.Files.readString(SharedCluster.repositoryRoot().resolve("samples/blueprints/purchase-order.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String blueprintId = created(front.post("/api/blueprints", token, JSON, document), "id");
        assertThat(front.post("/api/blueprints/" + blueprintId + "/publish", token, JSON, "").statusCode()).isLessThan(300);
        objects.put("blueprint", blueprintId);
        objects.put("instance", created(front.post("/api/instances", token, JSON, "{\"blueprintId\":\"" + blueprintId + "\",\"registerId\":\""
                + registerId + "\",\"participants\":{\"buyer\":\"" + buyer + "\",\"supplier\":\"" + supplier + "\"}}"), "id"));
        objects.put("user", created(front.post("/api/tenants/users", token, JSON, "{\"email\":\"fuzz-" + System.nanoTime()
                + "@cairn.test\",\"displayName\":\"Fuzz\",\"password\":\"fuzzing user password\",\"roles\":[\"Member\"]}"), "id"));
        objects.put("principal", created(front.post("/api/tenants/service-principals", token, JSON,
                "{\"name\":\"fuzz\",\"scopes\":[\"register:read\"]}"), "id"));
        objects.put("organization", Json.field(front.get("/api/tenants/organization", token).body(), "id"));
        return objects;
    }

    private static String created(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return Json.field(response.body(), field);
    }

    private static <T> T pick(List<T> list, int index) {
        return list.get(Math.floorMod(index, list.size()));
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
