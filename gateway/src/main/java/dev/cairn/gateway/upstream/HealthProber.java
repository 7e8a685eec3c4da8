package dev.cairn.gateway.upstream;

import java.net.ConnectException;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import dev.cairn.platform.instance.InstanceHeaderFilter;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Active health checking: every replica's readiness endpoint is probed at a fixed interval. A
 * refused connection takes a replica out at once; a slow or failing probe does after
 * {@code failureThreshold} attempts in a row; one good probe brings it back. DNS discovery is
 * refreshed on its own, slower, schedule.
 */
public class HealthProber implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HealthProber.class);

    private final UpstreamRegistry registry;
    private final UpstreamProperties properties;
    private final WebClient client;
    private volatile Disposable probes;
    private volatile Disposable discovery;

    public HealthProber(UpstreamRegistry registry, UpstreamProperties properties) {
        this.registry = registry;
        this.properties = properties;
        Duration timeout = properties.health().timeout();
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .responseTimeout(timeout);
        this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    @Override
    public void start() {
        probes = Flux.interval(Duration.ZERO, properties.health().interval(), Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> probeAll(), 1)
                .subscribe();
        discovery = Flux.interval(properties.discovery().refreshInterval(), properties.discovery().refreshInterval(),
                        Schedulers.boundedElastic())
                .subscribe(tick -> {
                    try {
                        registry.refresh();
                    } catch (RuntimeException e) {
                        log.warn("Replica discovery failed", e);
                    }
                });
    }

    Mono<Void> probeAll() {
        return Flux.fromIterable(registry.allReplicas())
                .flatMap(this::probe)
                .then();
    }

    /** Probes one replica and records the outcome. */
    public Mono<ProbeResult> probe(Replica replica) {
        return client.get()
                .uri(replica.uri().resolve(properties.health().path()))
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                        .map(body -> new ProbeResult(replica, response.statusCode().value(),
                                response.headers().asHttpHeaders().getFirst(InstanceHeaderFilter.HEADER), body, null)))
                .timeout(properties.health().timeout().plusMillis(200))
                .onErrorResume(e -> Mono.just(new ProbeResult(replica, 0, null, null, e)))
                .doOnNext(this::record);
    }

    private void record(ProbeResult result) {
        Replica replica = result.replica();
        if (result.ready()) {
            registry.probeSucceeded(replica, result.instanceId());
        } else if (result.error() != null) {
            registry.probeFailed(replica, UpstreamRegistry.describe(result.error()), isRefused(result.error()));
        } else {
            registry.probeFailed(replica, "readiness answered " + result.status(), true);
        }
    }

    private static boolean isRefused(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof io.netty.channel.ConnectTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void stop() {
        if (probes != null) {
            probes.dispose();
        }
        if (discovery != null) {
            discovery.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return probes != null && !probes.isDisposed();
    }

    /**
     * @param status 0 when no HTTP answer came back
     */
    public record ProbeResult(Replica replica, int status, String instanceId, String body, Throwable error) {
        public boolean ready() {
            return status == 200;
        }
    }
}
