package dev.cairn.platform.instance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * Who this replica is: {@code <service>@<host>:<port>} unless an id is configured. The id is
 * sent in a response header on every response so a client can see which replica answered, and
 * it is what the cluster coordination code records as a lease holder.
 */
public final class InstanceIdentity {

    private final String serviceName;
    private final String configuredId;
    private final Instant startedAt = Instant.now();
    private volatile String id;

    public InstanceIdentity(String serviceName, String configuredId, int configuredPort) {
        this.serviceName = serviceName;
        this.configuredId = blankToNull(configuredId);
        this.id = this.configuredId != null ? this.configuredId : derive(serviceName, configuredPort);
    }

    /** Called once the web server knows its real port (it may have been 0 = any free port). */
    void webServerStarted(int actualPort) {
        if (configuredId == null) {
            id = derive(serviceName, actualPort);
        }
    }

    public String id() {
        return id;
    }

    public String serviceName() {
        return serviceName;
    }

    public Instant startedAt() {
        return startedAt;
    }

    static String derive(String serviceName, int port) {
        String host = hostName();
        return port > 0 ? serviceName + "@" + host + ":" + port : serviceName + "@" + host;
    }

    private static String hostName() {
        String fromEnv = blankToNull(System.getenv("HOSTNAME"));
        if (fromEnv != null) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
