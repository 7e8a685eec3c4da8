package dev.cairn.platform.instance;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Shuts this process down when the launcher that started it is gone. The local launcher stops
 * its children on Ctrl-C, but a launcher killed with SIGKILL cannot; without this watchdog its
 * service JVMs would keep ports and memory until someone hunts them down.
 */
public class ParentProcessWatchdog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ParentProcessWatchdog.class);

    private final long parentPid;
    private final ConfigurableApplicationContext context;
    private volatile boolean running;

    public ParentProcessWatchdog(long parentPid, ConfigurableApplicationContext context) {
        this.parentPid = parentPid;
        this.context = context;
    }

    @Override
    public void start() {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty()) {
            log.warn("Parent process {} is already gone; exiting", parentPid);
            exit();
            return;
        }
        parent.get().onExit().thenRun(() -> {
            log.warn("Parent process {} exited; shutting down", parentPid);
            exit();
        });
        running = true;
    }

    private void exit() {
        Thread exiter = new Thread(() -> System.exit(SpringApplication.exit(context, () -> 0)), "parent-watchdog-exit");
        exiter.setDaemon(false);
        exiter.start();
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
