package dev.cairn.localcluster;

import java.util.List;
import java.util.Optional;

/** The deployable Cairn processes, where their jars are built, and which stores they use. */
public final class ServiceCatalog {

    /**
     * @param name       service id, also the Maven module directory and jar name
     * @param postgresDb PostgreSQL database of the service, or null when it uses none
     */
    public record Service(String name, String postgresDb) {
        public String jarPath() {
            return name + "/target/" + name + ".jar";
        }
    }

    public static final String GATEWAY = "gateway";
    /** The gateway's jar, relative to the repository root. */
    public static final String GATEWAY_JAR = GATEWAY + "/target/" + GATEWAY + ".jar";

    public static final List<Service> SERVICES = List.of(
            new Service("tenant-service", "cairn_tenant"),
            new Service("wallet-service", "cairn_wallet"),
            new Service("register-service", null),
            new Service("validator-service", null),
            new Service("blueprint-service", null),
            new Service("peer-service", null));

    private ServiceCatalog() {
    }

    public static Optional<Service> find(String name) {
        return SERVICES.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public static List<String> postgresDatabases() {
        return SERVICES.stream().map(Service::postgresDb).filter(db -> db != null).toList();
    }

    public static List<String> jarPaths() {
        List<String> jars = new java.util.ArrayList<>(SERVICES.stream().map(Service::jarPath).toList());
        jars.add(GATEWAY_JAR);
        return jars;
    }
}
