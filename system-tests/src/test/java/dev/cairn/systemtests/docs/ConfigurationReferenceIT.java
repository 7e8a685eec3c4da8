package dev.cairn.systemtests.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.cairn.localcluster.ServiceCatalog;
import dev.cairn.systemtests.deployment.ServiceSettings;

/** docs/configuration.md names every Cairn property that a packaged service or the gateway reads. */
class ConfigurationReferenceIT {

    private static final Path ROOT = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
    /** A row of the reference: the property, its variable, and its default in backquotes. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.\\-]+)` \\| `[A-Z0-9_]+`[^|]*\\| `([^`]*)` \\|", Pattern.MULTILINE);

    @Test
    void everyCairnPropertyIsDocumented() throws IOException {
        String reference = Files.readString(ROOT.resolve("docs/configuration.md"));
        java.util.Set<String> missing = new java.util.TreeSet<>();
        List<String> modules = new ArrayList<>(ServiceCatalog.SERVICES.stream().map(ServiceCatalog.Service::name).toList());
        modules.add("gateway");
        int checked = 0;
        for (String module : modules) {
            for (String property : ServiceSettings.of(ROOT.resolve(module).resolve("target").resolve(module + ".jar")).cairnProperties()) {
                checked++;
                if (!reference.contains("`" + property)) {
                    missing.add(property);
                }
            }
        }
        assertThat(checked).as("Cairn properties found in the jars").isGreaterThan(30);
        assertThat(missing).as("properties missing from docs/configuration.md").isEmpty();
    }

    /**
     * Where a property's record declares its default ({@code @DefaultValue}), the reference's
     * Default column says the same: the default is written once in code, and the page cannot
     * drift from it.
     */
    @Test
    void everyDeclaredDefaultIsTheOneDocumented() throws IOException {
        Map<String, String> documented = new java.util.HashMap<>();
        Matcher rows = ROW.matcher(Files.readString(ROOT.resolve("docs/configuration.md")));
        while (rows.find()) {
            documented.put(rows.group(1), rows.group(2));
        }
        List<String> modules = new ArrayList<>(ServiceCatalog.SERVICES.stream().map(ServiceCatalog.Service::name).toList());
        modules.add("gateway");
        java.util.Set<String> wrong = new java.util.TreeSet<>();
        int checked = 0;
        for (String module : modules) {
            for (Map.Entry<String, String> declared : ServiceSettings.of(ROOT.resolve(module).resolve("target").resolve(module + ".jar"))
                    .cairnDefaults().entrySet()) {
                String written = documented.get(declared.getKey());
                if (written == null) {
                    continue; // named in a row of several properties, or a map's entries: checked by name above
                }
                checked++;
                if (!written.replace(" ", "").equals(declared.getValue().replace(" ", ""))) {
                    wrong.add(declared.getKey() + ": the code says " + declared.getValue() + ", the page " + written);
                }
            }
        }
        assertThat(checked).as("defaults declared in the records and documented").isGreaterThan(10);
        assertThat(wrong).as("defaults the page gives differently").isEmpty();
    }
}
