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

    /** SIGKILL, as when the process's machine dies. */
    void kill(String process);

    /** A graceful stop (SIGTERM, then SIGKILL after a grace period), as an operator stops a server. */
    void stop(String process);

    /** Starts a stopped or killed process again on its port (stopping it first when it runs) and returns once it is ready. */
    void start(String process);

    /** SIGSTOP: the process stays, frozen, as in a long garbage-collection pause or a hung host. */
    void pause(String process);

    /** SIGCONT after {@link #pause}. */
    void resume(String process);

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

        public void apply(ProcessControl control, String process) {
            switch (this) {
                case KILL -> control.kill(process);
                case STOP -> control.stop(process);
                case START -> control.start(process);
                case PAUSE -> control.pause(process);
                case RESUME -> control.resume(process);
            }
        }

        public String verb() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
