package dev.cairn.gateway.upstream;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas of every service, kept current by discovery (static list or DNS), active probes
 * ({@link HealthProber}) and failed requests ({@link LoadBalancingFilter}).
 */
public class UpstreamRegistry {

    private static final Logger log = LoggerFactory.getLogger(UpstreamRegistry.class);

    private final UpstreamProperties properties;
    private final Map<String, List<Replica>> replicas = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();

    public UpstreamRegistry(UpstreamProperties properties) {
        this.properties = properties;
        properties.services().keySet().forEach(service -> replicas.put(service, new CopyOnWriteArrayList<>()));
        refresh();
    }

    public Set<String> services() {
        return replicas.keySet();
    }

    public List<Replica> replicas(String service) {
        List<Replica> list = replicas.get(service);
        return list == null ? List.of() : List.copyOf(list);
    }

    public Collection<Replica> allReplicas() {
        List<Replica> all = new ArrayList<>();
        replicas.values().forEach(all::addAll);
        return all;
    }

    public boolean knows(String service) {
        return replicas.containsKey(service);
    }

    /**
     * False for a service given an empty static list: left out of this installation on purpose
     * (scaled to zero), so its absence is not an outage. Its routes still answer 503. In DNS
     * mode a service without addresses is down, not left out.
     */
    public boolean deployed(String service) {
        return properties.discovery().mode() != UpstreamProperties.Mode.STATIC || !properties.service(service).uris().isEmpty();
    }

    /**
     * Next routable replica of a service in round-robin order, skipping the ones this request has
     * already tried, so that a retry goes to another replica whenever there is one. When every
     * replica is down and some only because their probes were too slow (a machine so busy that a
     * probe times out, as when replicas start beside a running load), those are tried rather than
     * none: a slow answer serves the client, a 503 does not. A replica that refused connections or
     * said it is not ready is never tried.
     *
     * @return null when no replica may take the request
     */
    public Replica choose(String service, Set<URI> alreadyTried) {
        List<Replica> list = replicas.get(service);
        if (list == null || list.isEmpty()) {
            return null;
        }
        List<Replica> candidates = new ArrayList<>(list.size());
        for (Replica replica : list) {
            if (replica.routable() && !alreadyTried.contains(replica.uri())) {
                candidates.add(replica);
            }
        }
        if (candidates.isEmpty() && list.stream().noneMatch(Replica::routable)) {
            for (Replica replica : list) {
                if (replica.downForSlowness() && !alreadyTried.contains(replica.uri())) {
                    candidates.add(replica);
                }
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        int next = Math.floorMod(cursors.computeIfAbsent(service, s -> new AtomicInteger()).getAndIncrement(), candidates.size());
        return candidates.get(next);
    }

    /** A request to the replica failed in a way that shows it cannot serve (refused, reset). */
    public void requestFailed(Replica replica, Throwable cause) {
        if (replica.failed(describe(cause), true, 1)) {
            log.warn("Replica {} of {} taken out of rotation: {}", replica.uri(), replica.service(), describe(cause));
        }
    }

    void probeSucceeded(Replica replica, String instanceId) {
        if (replica.probeSucceeded(instanceId)) {
            log.info("Replica {} of {} is ready ({})", replica.uri(), replica.service(), instanceId);
        }
    }

    void probeFailed(Replica replica, String problem, boolean definitive) {
        if (replica.failed(problem, definitive, properties.health().failureThreshold())) {
            log.warn("Replica {} of {} failed its health probe: {}", replica.uri(), replica.service(), problem);
        }
    }

    /** Re-reads the static lists or re-resolves DNS; keeps the state of replicas that remain. */
    public void refresh() {
        for (String service : properties.services().keySet()) {
            List<URI> discovered = discover(service);
            if (discovered == null) {
                continue; // resolution failed: keep what we have rather than drop every replica
            }
            List<Replica> current = replicas.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>());
            Map<URI, Replica> byUri = new LinkedHashMap<>();
            current.forEach(replica -> byUri.put(replica.uri(), replica));
            List<Replica> next = new ArrayList<>(discovered.size());
            for (URI uri : discovered) {
                Replica existing = byUri.get(uri);
                if (existing == null) {
                    log.info("Discovered replica {} of {}", uri, service);
                    existing = new Replica(service, uri);
                }
                next.add(existing);
            }
            if (!next.equals(current)) {
                current.stream().filter(r -> !next.contains(r)).forEach(r -> log.info("Replica {} of {} is gone from discovery", r.uri(), service));
                current.clear();
                current.addAll(next);
            }
        }
    }

    private List<URI> discover(String service) {
        UpstreamProperties.Service config = properties.service(service);
        if (properties.discovery().mode() == UpstreamProperties.Mode.STATIC) {
            return config.uris();
        }
        String host = config.dnsName() != null ? config.dnsName() : service;
        int port = config.port() != null ? config.port() : properties.discovery().port();
        try {
            List<URI> uris = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(host)) {
                String literal = address.getHostAddress();
                String authority = literal.contains(":") ? "[" + literal + "]" : literal;
                uris.add(URI.create(properties.discovery().scheme() + "://" + authority + ":" + port));
            }
            return uris;
        } catch (UnknownHostException e) {
            if (!replicas.getOrDefault(service, List.of()).isEmpty()) {
                log.warn("Cannot resolve {} for {}: keeping the replicas known so far", host, service);
                return null;
            }
            return List.of();
        }
    }

    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
