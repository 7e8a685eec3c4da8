package dev.cairn.systemtests.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The compose project as Docker Compose reads it: compose.yaml with its includes merged. */
final class ComposeProject {

    final Path directory;
    final Map<String, Map<String, Object>> services = new LinkedHashMap<>();
    final List<Path> files = new java.util.ArrayList<>();

    ComposeProject(Path directory) {
        this.directory = directory;
        load(directory.resolve("compose.yaml"));
    }

    @SuppressWarnings("unchecked")
    private void load(Path file) {
        files.add(file);
        Map<String, Object> document = read(file);
        for (Object include : (List<Object>) document.getOrDefault("include", List.of())) {
            load(file.getParent().resolve(String.valueOf(include)));
        }
        Map<String, Object> declared = (Map<String, Object>) document.getOrDefault("services", Map.of());
        declared.forEach((name, service) -> {
            if (services.put(name, (Map<String, Object>) service) != null) {
                throw new IllegalStateException("service " + name + " is declared twice");
            }
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(200);
        try {
            Object loaded = new Yaml(new SafeConstructor(options)).load(Files.readString(file));
            return loaded == null ? Map.of() : (Map<String, Object>) loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cairn's own services and the gateway: built from this repository, scalable. */
    boolean isCairn(String name) {
        Object build = services.get(name).get("build");
        return build instanceof Map<?, ?> map && map.get("args") instanceof Map<?, ?> args && args.containsKey("MODULE");
    }

    /** The Cairn services and the gateway, by name. */
    java.util.List<String> cairnServices() {
        return services.keySet().stream().filter(this::isCairn).toList();
    }

    /** A job that runs once and exits (restart "no"). */
    boolean isJob(String name) {
        return "no".equals(String.valueOf(services.get(name).get("restart")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }
}
