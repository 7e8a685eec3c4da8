package dev.cairn.systemtests.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings a packaged service reads, in environment-variable form: every property of
 * the configuration metadata in the jar and its libraries, every key of its application.yml
 * and every variable its placeholders name. Map-valued properties accept any key below them.
 * Names follow Spring's relaxed binding: upper case, dots as underscores, dashes dropped (or,
 * in the legacy form Spring also accepts, dashes as underscores).
 */
public final class ServiceSettings {

    private static final Map<Path, ServiceSettings> CACHE = new ConcurrentHashMap<>();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Set<String> exact = new HashSet<>();
    private final Set<String> prefixes = new HashSet<>();
    private final Set<String> cairnProperties = new java.util.TreeSet<>();
    private final Map<String, String> cairnDefaults = new java.util.TreeMap<>();

    private ServiceSettings() {
    }

    public static ServiceSettings of(Path bootJar) {
        return CACHE.computeIfAbsent(bootJar, ServiceSettings::load);
    }

    public boolean reads(String variable) {
        if (exact.contains(variable)) {
            return true;
        }
        return prefixes.stream().anyMatch(prefix -> variable.startsWith(prefix + "_"));
    }

    /** Cairn's own properties ({@code cairn.*}) as declared in the configuration metadata. */
    public Set<String> cairnProperties() {
        return java.util.Collections.unmodifiableSet(cairnProperties);
    }

    /** The defaults the metadata gives for Cairn's own properties ({@code @DefaultValue}); a list's items joined by commas. */
    public Map<String, String> cairnDefaults() {
        return java.util.Collections.unmodifiableMap(cairnDefaults);
    }

    private static ServiceSettings load(Path bootJar) {
        if (!Files.isRegularFile(bootJar)) {
            throw new IllegalStateException(bootJar + " is missing: build the service first (mvn package)");
        }
        ServiceSettings settings = new ServiceSettings();
        try (JarInputStream jar = new JarInputStream(Files.newInputStream(bootJar))) {
            settings.scan(jar, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (settings.exact.isEmpty()) {
            throw new IllegalStateException(bootJar + " holds no configuration metadata");
        }
        return settings;
    }

    private void scan(JarInputStream jar, boolean outer) throws IOException {
        for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
            String name = entry.getName();
            if (outer && name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
                scan(new JarInputStream(new NonClosing(jar)), false);
            } else if (name.endsWith("META-INF/spring-configuration-metadata.json")
                    || name.endsWith("META-INF/additional-spring-configuration-metadata.json")) {
                addMetadata(JSON.readTree(jar.readAllBytes()));
            } else if (outer && name.matches("BOOT-INF/classes/application(-[a-z]+)?\\.ya?ml")) {
                addApplicationYaml(new String(jar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private void addMetadata(JsonNode metadata) {
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            String type = property.path("type").asString("");
            exact.addAll(variables(name));
            if (name.startsWith("cairn.")) {
                cairnProperties.add(name);
                JsonNode value = property.path("defaultValue");
                if (!value.isMissingNode() && !value.isNull()) {
                    cairnDefaults.put(name, value.isArray() ? String.join(",", value.valueStream().map(JsonNode::asString).toList())
                            : value.asString());
                }
            }
            if (type.startsWith("java.util.Map") || type.startsWith("java.util.List") || type.startsWith("java.util.Set")
                    || type.endsWith("[]")) {
                prefixes.addAll(variables(name));
            }
        }
    }

    private void addApplicationYaml(String yaml) {
        LoaderOptions options = new LoaderOptions();
        for (Object document : new Yaml(new SafeConstructor(options)).loadAll(yaml)) {
            flatten("", document);
        }
        Matcher placeholders = PLACEHOLDER.matcher(yaml);
        while (placeholders.find()) {
            exact.addAll(variables(placeholders.group(1)));
        }
    }

    private void flatten(String prefix, Object node) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value));
        } else if (!prefix.isEmpty()) {
            exact.addAll(variables(prefix));
            if (node instanceof java.util.List<?>) {
                prefixes.addAll(variables(prefix));
            }
        }
    }

    /** The environment variable that binds to a property (Spring's relaxed binding). */
    static String variable(String property) {
        return property.replace("-", "").replace('.', '_').replaceAll("\\[\\d+]", "").toUpperCase(Locale.ROOT);
    }

    /**
     * The one spelling Cairn uses for a property's variable, Spring's canonical form (dashes
     * dropped: {@code CAIRN_AUTH_JWKSURIS}). Spring would also bind dashes written as underscores,
     * which is why only this form is accepted here: a second spelling would creep in unseen.
     */
    static Set<String> variables(String property) {
        return Set.of(variable(property));
    }

    /** Lets a nested jar be read without closing the jar around it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
