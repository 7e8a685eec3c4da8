package dev.cairn.localcluster.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.cairn.localcluster.ClusterState;

/**
 * Another program's hold on a running suite: what it runs, from the launcher's state file, and
 * what to do to its processes, asked of the launcher through its {@link ControlSocket}.
 */
public final class ControlClient implements ProcessControl {

    private final Path home;

    private ControlClient(Path home) {
        this.home = home;
    }

    /** The suite that a launcher runs from {@code home}; fails when none runs there or it is not ready yet. */
    public static ControlClient attach(Path home) {
        ClusterState state = ClusterState.read(home).filter(ClusterState::launcherAlive)
                .orElseThrow(() -> new IllegalStateException("Cairn is not running from " + home + " (start it with bin/cairn up)"));
        if (!ClusterState.READY.equals(state.status())) {
            throw new IllegalStateException("Cairn at " + state.frontUrl() + " is " + state.status() + ", not ready");
        }
        if (!Files.exists(ControlSocket.path(home))) {
            throw new IllegalStateException("the launcher (pid " + state.launcherPid() + ") has no control socket at " + ControlSocket.path(home));
        }
        return new ControlClient(home);
    }

    @Override
    public ClusterState state() {
        return ClusterState.read(home).orElseThrow(() -> new IllegalStateException("Cairn stopped: no state in " + home));
    }

    /** Asks the launcher and waits for its answer (a start answers once the process is ready). */
    @Override
    public void act(Verb verb, String process) {
        String answer;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(ControlSocket.path(home)));
            Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8);
            out.write(verb.verb() + " " + process + "\n");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            answer = in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the launcher through " + ControlSocket.path(home) + ": " + e.getMessage(), e);
        }
        if (answer == null) {
            throw new IllegalStateException("the launcher closed the control socket without answering " + verb.verb() + " " + process);
        }
        if (answer.startsWith(ControlSocket.REFUSED)) {
            throw new IllegalArgumentException(answer.substring(ControlSocket.REFUSED.length()));
        }
        if (!answer.equals(ControlSocket.OK)) {
            throw new IllegalStateException(answer.startsWith(ControlSocket.FAILED) ? answer.substring(ControlSocket.FAILED.length()) : answer);
        }
    }
}
