package dev.cairn.localcluster.store;

import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The embedded MongoDB wire-protocol server as a process of its own, so that it can be stopped,
 * killed and restarted like a real database server. With the h2 backend its data survives a
 * restart; the memory backend is faster and forgets everything.
 *
 * <p>The server keeps no oplog: Cairn uses no change streams, and the embedded server's oplog
 * is a second copy of every document written, never trimmed, that doubled the work of every
 * insert and the heap it lives in.
 *
 * <pre>java ... MongoWireServerMain --port 27017 --backend h2|memory [--file data.mv] [--parent-pid N]</pre>
 */
public final class MongoWireServerMain {

    private MongoWireServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 27017;
        String backendName = "memory";
        Path file = null;
        long parentPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--backend" -> backendName = args[++i];
                case "--file" -> file = Path.of(args[++i]);
                case "--parent-pid" -> parentPid = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        MongoBackend backend;
        if ("h2".equals(backendName)) {
            if (file == null) {
                throw new IllegalArgumentException("--backend h2 needs --file");
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            backend = new H2Backend(file.toString());
        } else {
            backend = new MemoryBackend();
        }
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            if (backend instanceof H2Backend h2) {
                h2.close();
            }
        }, "mongo-shutdown"));
        System.out.println("MongoDB wire server (" + backendName + ") listening on 127.0.0.1:" + port);
        if (parentPid > 0) {
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
        Thread.currentThread().join();
    }
}
