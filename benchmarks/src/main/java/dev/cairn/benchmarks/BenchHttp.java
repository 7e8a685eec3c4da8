package dev.cairn.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few HTTP calls and argument readings the benchmarks share. */
final class BenchHttp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BenchHttp() {
    }

    /** POSTs JSON and returns the body of a 2xx answer; anything else stops the benchmark. */
    static String post(String url, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Bootstraps a fresh installation through its gateway; the access token of its SystemAdmin. */
    static String bootstrapAdmin(String gateway) throws Exception {
        post(gateway + "/api/tenants/bootstrap", null, "{\"organizationName\":\"Bench\",\"adminEmail\":\"bench@cairn.test\","
                + "\"adminPassword\":\"benchmark password\",\"adminName\":\"Bench\"}");
        return field(post(gateway + "/api/auth/login", null, "{\"email\":\"bench@cairn.test\",\"password\":\"benchmark password\"}"),
                "accessToken");
    }

    /** A client-credentials token of one of Cairn's services, with the secret the launcher generated for it. */
    static String serviceToken(String gateway, java.nio.file.Path home, String service) throws Exception {
        String secret = java.nio.file.Files.readString(home.resolve("data/secrets/client-secret-" + service)).trim();
        String basic = java.util.Base64.getEncoder().encodeToString((service + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway + "/api/service-auth/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        return field(response.body(), "access_token");
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A string field of a JSON answer. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    /** {@code --name value} from the command line, or the fallback. */
    static int option(String[] args, String name, int fallback) {
        return Integer.parseInt(option(args, name, Integer.toString(fallback)));
    }

    /** The launcher's JVM flags of every replica, then those of {@code --jvm-options "FLAGS"} (which win). */
    static java.util.List<String> jvmOptions(String[] args) {
        java.util.List<String> jvm = new java.util.ArrayList<>(dev.cairn.localcluster.ClusterSpec.DEFAULT_JVM_OPTIONS);
        String extra = option(args, "--jvm-options", "");
        if (!extra.isBlank()) {
            jvm.addAll(java.util.List.of(extra.strip().split("\\s+")));
        }
        return jvm;
    }

    /** {@code --name value} from the command line, or the fallback. */
    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
