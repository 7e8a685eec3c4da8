package dev.cairn.gateway.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the replicas of each service are and how the gateway watches them.
 *
 * <p>Two ways to find replicas: a static list of URIs per service (the local launcher writes
 * these), or DNS, where every address the service's host name resolves to is a replica (Docker
 * Compose with {@code --scale}, Kubernetes headless services). DNS is re-resolved periodically,
 * so replicas that come and go need no configuration change.
 *
 * @param services  the services the gateway routes to, by service id ({@code lb://<id>})
 * @param discovery how replicas are found ({@code CAIRN_GATEWAY_DISCOVERY_MODE=dns} in compose)
 * @param health    active health checking of every replica
 */
@Validated
@ConfigurationProperties("cairn.gateway")
public record UpstreamProperties(@DefaultValue Map<String, @Valid Service> services, @DefaultValue @Valid Discovery discovery,
        @DefaultValue @Valid Health health) {

    public UpstreamProperties {
        services = Map.copyOf(services);
    }

    /**
     * @param uris    static replica list, e.g. {@code http://127.0.0.1:8081}
     * @param dnsName host name to resolve in DNS mode (defaults to the service id)
     * @param port    port of every replica in DNS mode (defaults to {@code discovery.port})
     */
    public record Service(@DefaultValue List<URI> uris, String dnsName, Integer port) {
        public Service {
            uris = List.copyOf(uris);
        }
    }

    public enum Mode { STATIC, DNS }

    /**
     * @param mode            {@code static} (default) or {@code dns}
     * @param port            replica port in DNS mode when a service does not set its own
     * @param scheme          scheme of replica URIs in DNS mode
     * @param refreshInterval how often DNS is resolved again
     */
    public record Discovery(@DefaultValue("static") Mode mode, @DefaultValue("8080") @Min(1) @Max(65535) int port, @DefaultValue("http") String scheme,
            @DefaultValue("5s") Duration refreshInterval) {
    }

    /**
     * @param path             readiness path probed on every replica
     * @param interval         time between probes of one replica
     * @param timeout          a probe slower than this counts as failed
     * @param failureThreshold consecutive failed probes before a replica is taken out (a
     *                         refused connection takes it out at once)
     * @param aggregateReuse   how long one answer of {@code /api/health} is given again before every replica is asked anew
     */
    public record Health(@DefaultValue("/actuator/health/readiness") String path, @DefaultValue("1s") Duration interval,
            @DefaultValue("800ms") Duration timeout, @DefaultValue("2") @Min(1) int failureThreshold, @DefaultValue("500ms") Duration aggregateReuse) {
    }

    @NotNull
    public Service service(String id) {
        Service service = services.get(id);
        return service != null ? service : new Service(List.of(), null, null);
    }
}
