package dev.cairn.localcluster.control;

import dev.cairn.localcluster.ClusterState;

/**
 * What can be done to the processes of a running suite, each named as {@code bin/cairn status}
 * lists it ({@code wallet-service-1}, {@code gateway-2}, {@code nginx}, {@code mongo},
 * {@code redis}, {@code postgres}). The launcher does it ({@code LocalCluster}); another program
 * asks the launcher through {@link ControlClient}.
 */
public interface ProcessControl {

    /** The suite as recorded now: its front, its processes and their ports. */
    ClusterState state();

    /** Does {@code verb} to the process; an {@link IllegalArgumentException} when there is no such process or it cannot be done to it. */
    void act(Verb verb, String process);

    /** SIGKILL, as when the process's machine dies. */
    default void kill(String process) {
        act(Verb.KILL, process);
    }

    /** A graceful stop (SIGTERM, then SIGKILL after a grace period), as an operator stops a server. */
    default void stop(String process) {
        act(Verb.STOP, process);
    }

    /** Starts a stopped or killed process again on its port (stopping it first when it runs) and returns once it is ready. */
    default void start(String process) {
        act(Verb.START, process);
    }

    /** SIGSTOP: the process stays, frozen, as in a long garbage-collection pause or a hung host. */
    default void pause(String process) {
        act(Verb.PAUSE, process);
    }

    /** SIGCONT after {@link #pause}. */
    default void resume(String process) {
        act(Verb.RESUME, process);
    }

    /** The operations by the verbs {@code bin/cairn} and the control socket use. */
    enum Verb {
        KILL, STOP, START, PAUSE, RESUME;

        public static Verb parse(String verb) {
            for (Verb v : values()) {
                if (v.name().equalsIgnoreCase(verb)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown operation '" + verb + "'; known: kill, stop, start, pause, resume");
        }

        public String verb() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
