package dev.cairn.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fault of the campaign: a name an operator types, what it does, and how it is injected
 * and healed. The load runs before, during and after it; the ledger check follows.
 */
public record Scenario(String name, String description, Fault fault) {

    /** Injects the fault, holds it, and heals it; returns once the suite's processes are all running again. */
    @FunctionalInterface
    interface Fault {
        void inject(FaultContext context);
    }

    /** The services whose replicas the campaign kills, in the order it kills them. */
    static final List<String> SERVICES = List.of("tenant-service", "wallet-service", "register-service", "validator-service",
            "blueprint-service", "peer-service");

    private static final Map<String, Scenario> ALL = catalogue();

    /** Every scenario, in the campaign's order. */
    public static List<Scenario> all() {
        return List.copyOf(ALL.values());
    }

    /** The scenarios of these names, in the order given; an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    public static List<Scenario> named(List<String> names) {
        List<Scenario> chosen = new ArrayList<>();
        for (String name : names) {
            Scenario scenario = ALL.get(name);
            if (scenario == null) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + String.join(", ", ALL.keySet()));
            }
            chosen.add(scenario);
        }
        return chosen;
    }

    private static Map<String, Scenario> catalogue() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (String service : SERVICES) {
            add(all, "kill-" + shortName(service), "SIGKILL one " + service + " replica, start it again after the hold",
                    context -> context.killAndRestart(context.processes(service).get(0)));
        }
        add(all, "kill-gateway", "SIGKILL one gateway, start it again after the hold",
                context -> context.killAndRestart(context.processes("gateway").get(0)));
        add(all, "kill-leader", "SIGKILL the validator that holds a register's lease, ten times, each once another has taken over",
                context -> context.killLeaders(10));
        add(all, "pause-leader", "SIGSTOP the validator that holds a register's lease for longer than the lease, then SIGCONT: "
                + "it must not write after losing the lease", FaultContext::pauseLeader);
        add(all, "restart-redis", "stop Redis (every counter, cache and pub/sub message in it lost), start it again after the hold",
                context -> context.restartStore("redis"));
        add(all, "restart-postgres", "stop PostgreSQL (tenants and wallets), start it again after the hold",
                context -> context.restartStore("postgres"));
        add(all, "restart-mongo", "stop the embedded MongoDB server (persistent backend), start it again after the hold",
                context -> context.restartStore("mongo"));
        for (String service : SERVICES) {
            add(all, "outage-" + shortName(service), "SIGKILL every " + service + " replica at once, start them all again after the hold",
                    context -> context.outage(context.processes(service)));
        }
        return all;
    }

    private static void add(Map<String, Scenario> all, String name, String description, Fault fault) {
        all.put(name, new Scenario(name, description, fault));
    }

    private static String shortName(String service) {
        return service.replace("-service", "");
    }
}
