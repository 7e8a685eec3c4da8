package dev.cairn.gateway.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cairn.gateway.upstream.HealthProber;
import dev.cairn.gateway.upstream.HealthProber.ProbeResult;
import dev.cairn.gateway.upstream.UpstreamRegistry;
import dev.cairn.platform.instance.InstanceIdentity;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /api/health}: probes every replica of every service now and reports them. 200 when
 * each service has at least one ready replica, 503 otherwise. A service this installation
 * leaves out (an empty static list) is not reported. Answers are shared for a short
 * moment so that a burst of health requests does not multiply into a burst of probes.
 */
public class AggregatedHealthHandler {

    private final UpstreamRegistry registry;
    private final HealthProber prober;
    private final InstanceIdentity identity;
    private final JsonMapper json;
    private final Mono<Report> report;

    public AggregatedHealthHandler(UpstreamRegistry registry, HealthProber prober, InstanceIdentity identity, JsonMapper json,
            Duration reuseFor) {
        this.registry = registry;
        this.prober = prober;
        this.identity = identity;
        this.json = json;
        this.report = Mono.defer(this::collect).cache(reuseFor);
    }

    public Mono<ServerResponse> health(ServerRequest request) {
        return report.flatMap(r -> ServerResponse.status(r.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(r.body()));
    }

    private Mono<Report> collect() {
        return Flux.fromIterable(registry.services().stream().filter(registry::deployed).toList())
                .flatMap(service -> Flux.fromIterable(registry.replicas(service))
                        .flatMap(prober::probe)
                        .collectList()
                        .map(results -> Map.entry(service, results)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
                .map(this::toReport);
    }

    private Report toReport(Map<String, List<ProbeResult>> byService) {
        boolean healthy = true;
        Map<String, Object> services = new LinkedHashMap<>();
        for (Map.Entry<String, List<ProbeResult>> entry : byService.entrySet()) {
            List<ProbeResult> results = new ArrayList<>(entry.getValue());
            results.sort(Comparator.comparing(r -> r.replica().uri().toString()));
            long ready = results.stream().filter(ProbeResult::ready).count();
            healthy &= ready > 0;
            List<Map<String, Object>> replicas = new ArrayList<>();
            for (ProbeResult result : results) {
                Map<String, Object> replica = new LinkedHashMap<>();
                replica.put("uri", result.replica().uri().toString());
                replica.put("instance", result.instanceId() != null ? result.instanceId() : result.replica().instanceId());
                replica.put("status", result.ready() ? "UP" : "DOWN");
                if (result.error() != null) {
                    replica.put("error", "unreachable");
                } else {
                    JsonNode components = readComponents(result.body());
                    if (components != null) {
                        replica.put("components", components);
                    }
                }
                replicas.add(replica);
            }
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("status", ready > 0 ? "UP" : "DOWN");
            service.put("ready", ready);
            service.put("total", results.size());
            service.put("replicas", replicas);
            services.put(entry.getKey(), service);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "UP" : "DOWN");
        body.put("gateway", identity.id());
        body.put("services", services);
        return new Report(healthy, body);
    }

    private JsonNode readComponents(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body).get("components");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private record Report(boolean healthy, Map<String, Object> body) {
    }
}
